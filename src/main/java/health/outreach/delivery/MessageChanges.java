package health.outreach.delivery;

import health.outreach.common.Jdbc;
import health.outreach.contact.ErasureListener;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;

/**
 * What happens to a message after the dispatcher is done with it, as the rest of the product sees
 * it: a campaign cancelled or retried, a provider's receipt, a click or an open, a person erased.
 * Each change is guarded by the status it expects, so a late or replayed signal changes nothing.
 * Call inside the caller's transaction.
 */
@Singleton
public class MessageChanges implements ErasureListener {

    private final Jdbc jdbc;

    MessageChanges(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Cancels the campaign's messages not yet claimed; answers how many. */
    public long cancelPending(long campaignId, Instant at) {
        return jdbc.update("UPDATE message SET status = 'CANCELLED', last_error = 'campaign cancelled', "
                + "updated_at = ? WHERE campaign_id = ? AND status = 'PENDING'", at, campaignId);
    }

    /** Requeues the campaign's messages whose failure was transient (their retries ran out); answers how many. */
    public long requeueTransientFailures(long campaignId, Instant at) {
        return jdbc.update("UPDATE message SET status = 'PENDING', attempts = 0, due_at = ?, failure_kind = NULL, "
                + "updated_at = ? WHERE campaign_id = ? AND status = 'FAILED' AND failure_kind = 'TRANSIENT'", at, at, campaignId);
    }

    @Override
    public void erased(long contactId, Instant at) {
        jdbc.update("UPDATE message SET status = 'CANCELLED', last_error = 'contact erased', updated_at = ? "
                + "WHERE contact_id = ? AND status = 'PENDING'", at, contactId);
    }

    /** A provider confirmed delivery of a sent message; false when it was not (or no longer) SENT. */
    public boolean delivered(long messageId, Instant at) {
        return jdbc.update("UPDATE message SET status = 'DELIVERED', delivered_at = ?, updated_at = ? WHERE id = ? "
                + "AND status = 'SENT'", at, at, messageId) == 1;
    }

    /**
     * A message whose outcome was unknown turns out to have gone: it counts as sent from the time
     * of the attempt, which this answers (empty when it was not UNKNOWN).
     */
    public Optional<Instant> settleUnknownAsSent(long messageId, Instant at) {
        Optional<Instant> attempted = jdbc.queryOne("SELECT COALESCE(failed_at, updated_at) FROM message WHERE id = ? "
                + "AND status = 'UNKNOWN'", rs -> rs.getTimestamp(1).toInstant(), messageId);
        if (attempted.isEmpty() || jdbc.update("UPDATE message SET status = 'SENT', sent_at = COALESCE(sent_at, ?), "
                + "last_error = NULL, updated_at = ? WHERE id = ? AND status = 'UNKNOWN'", attempted.get(), at, messageId) == 0) {
            return Optional.empty();
        }
        return attempted;
    }

    /** A sent message refused after the fact (a late bounce, a carrier's failure); status BOUNCED or FAILED. */
    public boolean refusedAfterSend(long messageId, boolean bounced, String reason, Instant at) {
        return jdbc.update("UPDATE message SET status = ?, failure_kind = 'PERMANENT', last_error = ?, failed_at = ?, updated_at = ? "
                + "WHERE id = ? AND status IN ('SENT', 'DELIVERED')", bounced ? "BOUNCED" : "FAILED", reason, at, at, messageId) == 1;
    }

    /** The first click on the message; false for every later one. */
    public boolean firstClick(long messageId, Instant at) {
        return jdbc.update("UPDATE message SET clicked_at = ? WHERE id = ? AND clicked_at IS NULL", at, messageId) == 1;
    }

    /** The first open of the message; false for every later one. */
    public boolean firstOpen(long messageId, Instant at) {
        return jdbc.update("UPDATE message SET opened_at = ? WHERE id = ? AND opened_at IS NULL", at, messageId) == 1;
    }
}
