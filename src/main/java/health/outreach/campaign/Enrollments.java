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
     * The person booked: their remaining steps stop (the dispatcher skips them at claim), and the
     * first booking is kept. Answers when they were enrolled if this was their first booking for the
     * campaign, so the caller counts people and not bookings (a second request from the page, or the
     * clinic confirming it, answers empty).
     */
    public Optional<Instant> booked(long campaignId, long contactId, Instant bookedAt, Instant now) {
        jdbc.update("UPDATE enrollment SET status = 'STOPPED', stop_reason = 'BOOKED', stopped_at = ? "
                + "WHERE campaign_id = ? AND contact_id = ? AND status = 'ACTIVE'", now, campaignId, contactId);
        boolean first = jdbc.update("UPDATE enrollment SET booked_at = ? WHERE campaign_id = ? AND contact_id = ? AND booked_at IS NULL",
                bookedAt, campaignId, contactId) == 1;
        if (!first) {
            return Optional.empty();
        }
        return jdbc.queryOne("SELECT enrolled_at FROM enrollment WHERE campaign_id = ? AND contact_id = ?",
                rs -> Jdbc.instant(rs, "enrolled_at"), campaignId, contactId);
    }
}
