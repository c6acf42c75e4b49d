-- Why a message failed: a TRANSIENT failure that ran out of retries may be requeued by
-- retry-failed; a PERMANENT one (SMTP 5xx, provider 4xx) may not.
ALTER TABLE message ADD COLUMN failure_kind VARCHAR(16);

-- The first SMS after someone opts in must say how to opt out (CTIA); set on opt-in, cleared by
-- the first SMS that carried the line.
ALTER TABLE contact ADD COLUMN sms_notice_due BOOLEAN NOT NULL DEFAULT FALSE;

-- Claims look for due PENDING messages of running campaigns; the partial-free composite index
-- (status, due_at) from V4 serves it on both databases.
CREATE INDEX enrollment_campaign_status ON enrollment (campaign_id, status);

-- Enrollment checkpoint: the last contact id whose enrollment and messages are committed. Advanced in
-- the same transaction as the rows it covers, so a node dying mid-launch loses nothing and another
-- node resumes from here (listmonk advanced its cursor on fetch and lost recipients: #2070, #2278).
ALTER TABLE campaign ADD COLUMN enrollment_cursor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign ADD COLUMN enrollment_finished_at TIMESTAMP WITH TIME ZONE;
