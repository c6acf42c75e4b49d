package health.outreach.campaign;

import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;

/** What a booking does to a person's enrollment in the campaign it is credited to. Call inside a transaction. */
@Singleton
public class Enrollments {

    private final Jdbc jdbc;

    Enrollments(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Holds the person's enrollment until the caller's transaction ends: what a person's bookings
     * count for the campaign is decided by one transaction at a time.
     */
    public void lock(long campaignId, long contactId) {
        jdbc.query("SELECT id FROM enrollment WHERE campaign_id = ? AND contact_id = ? FOR UPDATE", rs -> null, campaignId, contactId);
    }

    /**
     * The person booked: their remaining steps stop (the dispatcher skips them at claim), and their
     * first booking's time is kept. Answers when they were enrolled (empty when they were not), for
     * the booking's days from enrollment.
     */
    public Optional<Instant> booked(long campaignId, long contactId, Instant bookedAt, Instant now) {
        jdbc.update("UPDATE enrollment SET status = 'STOPPED', stop_reason = 'BOOKED', stopped_at = ? "
                + "WHERE campaign_id = ? AND contact_id = ? AND status = 'ACTIVE'", now, campaignId, contactId);
        jdbc.update("UPDATE enrollment SET booked_at = ? WHERE campaign_id = ? AND contact_id = ? AND booked_at IS NULL",
                bookedAt, campaignId, contactId);
        return jdbc.queryOne("SELECT enrolled_at FROM enrollment WHERE campaign_id = ? AND contact_id = ?",
                rs -> Jdbc.instant(rs, "enrolled_at"), campaignId, contactId);
    }
}
