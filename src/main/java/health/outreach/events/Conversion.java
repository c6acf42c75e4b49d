package health.outreach.events;

import java.util.List;

/**
 * The two things a person's bookings can count for: they booked (the clinic confirmed: BOOKED, and
 * later ATTENDED or NO_SHOW, since a no-show had booked) and they attended. Counted per person and
 * campaign: the counting booking is the person's oldest one in those statuses, so the live counters
 * and the recount agree on one booking, and on its step, channel, version and day.
 */
public enum Conversion {
    BOOKED(List.of("BOOKED", "ATTENDED", "NO_SHOW"), CampaignMetric.BOOKED, CampaignMetric.BOOKED_HOLDOUT, Metric.BOOKED),
    ATTENDED(List.of("ATTENDED"), CampaignMetric.ATTENDED, CampaignMetric.ATTENDED_HOLDOUT, Metric.ATTENDED);

    /** Every booking status, in the order reports show them. */
    public static final List<String> STATUSES = List.of("REQUESTED", "BOOKED", "ATTENDED", "NO_SHOW", "CANCELLED");

    private final List<String> statuses;
    private final CampaignMetric people;
    private final CampaignMetric holdout;
    private final Metric metric;

    Conversion(List<String> statuses, CampaignMetric people, CampaignMetric holdout, Metric metric) {
        this.statuses = statuses;
        this.people = people;
        this.holdout = holdout;
        this.metric = metric;
    }

    public boolean counts(String status) {
        return statuses.contains(status);
    }

    public List<String> statuses() {
        return statuses;
    }

    /** The campaign_counter column of people counted, in the messaged group or in the holdout. */
    public CampaignMetric people(boolean inHoldout) {
        return inHoldout ? holdout : people;
    }

    /** The report_counter column. */
    public Metric metric() {
        return metric;
    }

    /** {@code 'BOOKED', 'ATTENDED', 'NO_SHOW'}: constants of our own, never input, for an SQL IN list. */
    String sqlList() {
        return String.join(", ", statuses.stream().map(s -> "'" + s + "'").toList());
    }
}
