-- The sweep forgets webhook ids after a week (replays older than that cannot pass the checks anyway).
CREATE INDEX webhook_receipt_received ON webhook_receipt (received_at);
