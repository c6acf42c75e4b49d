-- Reports by audience: people reached and bookings per campaign × region (postal prefix) and
-- × language, kept as counters like report_counter so a funnel never scans enrollments.
CREATE TABLE audience_counter (
    campaign_id BIGINT      NOT NULL,
    dimension   VARCHAR(8)  NOT NULL,  -- REGION | LOCALE
    dim_value   VARCHAR(16) NOT NULL,  -- '' when the contact has none
    reached     BIGINT      NOT NULL DEFAULT 0,
    booked      BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, dimension, dim_value)
);

-- Whole days from enrollment to booking, written once with the booking: the time-to-booking
-- histogram is then a GROUP BY over one campaign's bookings.
ALTER TABLE booking ADD COLUMN days_to_booking INT;

-- When the person first booked after this campaign reached them (or, for the holdout, at all):
-- reports count people who booked, so a second booking by the same person moves no counter.
ALTER TABLE enrollment ADD COLUMN booked_at TIMESTAMP WITH TIME ZONE;
