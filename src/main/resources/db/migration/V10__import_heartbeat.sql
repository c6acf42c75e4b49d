-- A running import touches its row after every batch; the sweep fails imports whose node went
-- silent, so a report never says RUNNING forever.
ALTER TABLE import_job ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
