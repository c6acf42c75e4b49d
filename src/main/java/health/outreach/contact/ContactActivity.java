package health.outreach.contact;

import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * What happened to one contact lately, for their page in the admin UI: their newest messages and
 * bookings. Read-only; both queries walk the per-contact index (message_contact, booking_contact)
 * and stop at a small limit, so a page costs the same whatever the outbox holds. Minimum necessary:
 * statuses and times, no message text and no provider errors (those can quote the address).
 */
@Singleton
class ContactActivity {

    public record MessageRow(long id, @Nullable Long campaignId, @Nullable String campaign, String channel, String kind,
                      String status, Instant dueAt, @Nullable Instant sentAt) {
    }

    public record BookingRow(long id, String source, String status, Instant requestedAt, @Nullable Instant appointmentAt,
                      String attribution, @Nullable Long campaignId) {
    }

    private final Jdbc jdbc;

    ContactActivity(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    List<MessageRow> messages(long contactId, int limit) {
        return jdbc.query("""
                        SELECT m.id, m.campaign_id, c.name, m.channel, m.kind, m.status, m.due_at, m.sent_at
                        FROM message m LEFT JOIN campaign c ON c.id = m.campaign_id
                        WHERE m.contact_id = ? ORDER BY m.id DESC LIMIT ?""",
                rs -> new MessageRow(rs.getLong("id"), Jdbc.nullableLong(rs, "campaign_id"), rs.getString("name"),
                        rs.getString("channel"), rs.getString("kind"), rs.getString("status"), Jdbc.instant(rs, "due_at"),
                        Jdbc.instant(rs, "sent_at")), contactId, limit);
    }

    List<BookingRow> bookings(long contactId, int limit) {
        return jdbc.query("""
                        SELECT id, source, status, requested_at, appointment_at, attribution, campaign_id
                        FROM booking WHERE contact_id = ? ORDER BY id DESC LIMIT ?""",
                rs -> new BookingRow(rs.getLong("id"), rs.getString("source"), rs.getString("status"),
                        Jdbc.instant(rs, "requested_at"), Jdbc.instant(rs, "appointment_at"), rs.getString("attribution"),
                        Jdbc.nullableLong(rs, "campaign_id")), contactId, limit);
    }
}
