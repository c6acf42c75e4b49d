package health.outreach.events;

/**
 * A column of report_counter (per campaign × step × channel × template version × day). UNKNOWN_OUTCOME holds
 * the sends whose outcome is still unknown (it goes down as an operator resolves them); POSSIBLE_DUPLICATE the
 * messages that may have reached the person twice. BOOKED and ATTENDED count people, at the step of the booking
 * that counts them (see {@link Conversion}).
 */
public enum Metric {
    QUEUED, SENT, DELIVERED, FAILED, BOUNCED, SKIPPED, OPENED, CLICKED, CLICKED_UNIQUE, UNSUBSCRIBED, REPLIED, BOOKED,
    UNKNOWN_OUTCOME, POSSIBLE_DUPLICATE, ATTENDED;

    public String column() {
        return name().toLowerCase();
    }
}
