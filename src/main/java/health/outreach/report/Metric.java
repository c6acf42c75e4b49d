package health.outreach.report;

/** A column of report_counter (per campaign × step × channel × template version × day). */
public enum Metric {
    QUEUED, SENT, DELIVERED, FAILED, BOUNCED, SKIPPED, OPENED, CLICKED, CLICKED_UNIQUE, UNSUBSCRIBED, REPLIED, BOOKED;

    String column() {
        return name().toLowerCase();
    }
}
