package health.outreach.events;

/** A column of campaign_counter (one row per campaign). */
public enum CampaignMetric {
    ENROLLED, HOLDOUT, REACHED, BOOKED, BOOKED_HOLDOUT, SKIPPED_NO_DATE;

    public String column() {
        return name().toLowerCase();
    }
}
