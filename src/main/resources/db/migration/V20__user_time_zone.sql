-- Each member of staff may read times in their own zone; NULL means the program's.
ALTER TABLE app_user ADD COLUMN time_zone VARCHAR(64);
