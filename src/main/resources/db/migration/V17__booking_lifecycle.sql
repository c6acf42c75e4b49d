-- The booking's life: REQUESTED (the public page) -> BOOKED (the clinic confirmed) -> ATTENDED or
-- NO_SHOW, or CANCELLED from any of them. booking.status holds the furthest status seen; each move is
-- a BOOKING event (its payload names the status, the one before and the source).
ALTER TABLE booking ADD COLUMN status_changed_at TIMESTAMP WITH TIME ZONE;
UPDATE booking SET status_changed_at = requested_at;
-- The counters walk one person's bookings for a campaign on every move.
CREATE INDEX booking_campaign_contact ON booking (campaign_id, contact_id);

-- People who booked (a booking at BOOKED, ATTENDED or NO_SHOW) and people who attended are both
-- counted, so the program's choice of which one is "conversion" is made when a report is read and
-- switching it needs no recount. Bookings credited to a campaign are also counted by current status.
ALTER TABLE campaign_counter ADD COLUMN attended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_counter ADD COLUMN attended_holdout BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_counter ADD COLUMN bookings_requested BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_counter ADD COLUMN bookings_booked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_counter ADD COLUMN bookings_attended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_counter ADD COLUMN bookings_no_show BIGINT NOT NULL DEFAULT 0;
ALTER TABLE campaign_counter ADD COLUMN bookings_cancelled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_counter ADD COLUMN attended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audience_counter ADD COLUMN attended BIGINT NOT NULL DEFAULT 0;

-- Counts by status for bookings already recorded; the people counts follow at the nightly recount,
-- which recounts them from the bookings.
UPDATE campaign_counter SET
    bookings_requested = (SELECT COUNT(*) FROM booking b WHERE b.campaign_id = campaign_counter.campaign_id
                          AND b.attribution = 'ATTRIBUTED' AND b.status = 'REQUESTED'),
    bookings_booked    = (SELECT COUNT(*) FROM booking b WHERE b.campaign_id = campaign_counter.campaign_id
                          AND b.attribution = 'ATTRIBUTED' AND b.status = 'BOOKED'),
    bookings_attended  = (SELECT COUNT(*) FROM booking b WHERE b.campaign_id = campaign_counter.campaign_id
                          AND b.attribution = 'ATTRIBUTED' AND b.status = 'ATTENDED'),
    bookings_cancelled = (SELECT COUNT(*) FROM booking b WHERE b.campaign_id = campaign_counter.campaign_id
                          AND b.attribution = 'ATTRIBUTED' AND b.status = 'CANCELLED');

-- What the program's reports call a conversion: BOOKED (the clinic confirmed) or ATTENDED.
ALTER TABLE program ADD COLUMN conversion_status VARCHAR(10) NOT NULL DEFAULT 'BOOKED';

-- Names the program gives to postal-code prefixes (the regions reports group people by).
CREATE TABLE region_name (
    prefix     VARCHAR(16)  PRIMARY KEY,
    name       VARCHAR(100) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
