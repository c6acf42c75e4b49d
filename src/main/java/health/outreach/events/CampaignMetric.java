package health.outreach.events;

/**
 * A column of campaign_counter (one row per campaign). BOOKED and ATTENDED (and their holdout twins)
 * count people; BOOKINGS_* count the bookings credited to the campaign by their current status.
 */
public enum CampaignMetric {
    ENROLLED, HOLDOUT, REACHED, BOOKED, BOOKED_HOLDOUT, SKIPPED_NO_DATE, ATTENDED, ATTENDED_HOLDOUT,
    BOOKINGS_REQUESTED, BOOKINGS_BOOKED, BOOKINGS_ATTENDED, BOOKINGS_NO_SHOW, BOOKINGS_CANCELLED;

    /** The count of bookings in this status ({@code REQUESTED}, {@code BOOKED}, ...). */
    public static CampaignMetric bookings(String status) {
        return valueOf("BOOKINGS_" + status);
    }

    public String column() {
        return name().toLowerCase();
    }
}
