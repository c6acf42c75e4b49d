-- How many data rows the file holds, when the first pass counted them: the report shows progress as rows of the total.
ALTER TABLE import_job ADD COLUMN rows_total BIGINT;
