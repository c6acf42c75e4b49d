package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Requests to confirm one channel of one contact, from a form or a keyword. */
@Singleton
class SignupRequests {

    /** One request as stored. */
    @Serdeable
    public record Request(long id, long formId, int formVersion, long contactId, Channel channel, String language, String source,
                   String status, String wording, @Nullable String pageUrl, @Nullable Long messageId,
                   @Nullable Long reminderMessageId, @Nullable String enrollment, boolean enrolled, Instant createdAt,
                   Instant expiresAt, @Nullable Instant remindedAt, @Nullable Instant confirmedAt) {

        static Request map(ResultSet rs) throws SQLException {
            return new Request(rs.getLong("id"), rs.getLong("form_id"), rs.getInt("form_version"), rs.getLong("contact_id"),
                    Channel.valueOf(rs.getString("channel")), rs.getString("language"), rs.getString("source"),
                    rs.getString("status"), rs.getString("wording"), rs.getString("page_url"), Jdbc.nullableLong(rs, "message_id"),
                    Jdbc.nullableLong(rs, "reminder_message_id"), rs.getString("enrollment"), rs.getBoolean("enrolled"),
                    Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "reminded_at"),
                    Jdbc.instant(rs, "confirmed_at"));
        }
    }

    /** What the form's page shows per form. */
    @Serdeable
    public record Counts(long submitted, long pending, long confirmed, long expired, long enrolled, long booked) {
    }

    /** A pending request and how old it is, for the form's page. */
    @Serdeable
    public record Pending(long id, long contactId, Channel channel, String source, Instant createdAt, Instant expiresAt,
                   boolean reminded) {
    }

    private final Jdbc jdbc;

    SignupRequests(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    long insert(long formId, int version, long contactId, Channel channel, String language, String source, String wording,
                @Nullable String pageUrl, @Nullable String clientHash, Instant now, Instant expiresAt) {
        return jdbc.insert("INSERT INTO signup_request (form_id, form_version, contact_id, channel, language, source, status, "
                        + "wording, page_url, client_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)",
                formId, version, contactId, channel, language, source, wording, pageUrl, clientHash, now, expiresAt);
    }

    void messageSent(long id, long messageId) {
        jdbc.update("UPDATE signup_request SET message_id = ? WHERE id = ?", messageId, id);
    }

    /** The open (pending, unexpired) request for one channel of a contact. */
    Optional<Request> open(long contactId, Channel channel, Instant now) {
        return jdbc.queryOne("SELECT * FROM signup_request WHERE contact_id = ? AND channel = ? AND status = 'PENDING' "
                + "AND expires_at > ? ORDER BY id DESC LIMIT 1", Request::map, contactId, channel, now);
    }

    /** The open request whose request to confirm, or its reminder, is this message. */
    Optional<Request> openByMessage(long messageId, Instant now) {
        return jdbc.queryOne("SELECT * FROM signup_request WHERE (message_id = ? OR reminder_message_id = ?) "
                + "AND status = 'PENDING' AND expires_at > ?", Request::map, messageId, messageId, now);
    }

    /** Locks a request for the rest of the transaction: a click and a text confirming at once confirm once. */
    Optional<Request> lock(long id) {
        return jdbc.queryOne("SELECT * FROM signup_request WHERE id = ? FOR UPDATE", Request::map, id);
    }

    void confirmed(long id, Instant now, String enrollment, boolean enrolled) {
        jdbc.update("UPDATE signup_request SET status = 'CONFIRMED', confirmed_at = ?, closed_at = ?, enrollment = ?, enrolled = ? "
                + "WHERE id = ?", now, now, enrollment, enrolled, id);
    }

    void close(long id, String status, Instant now) {
        jdbc.update("UPDATE signup_request SET status = ?, closed_at = ? WHERE id = ? AND status = 'PENDING'", status, now, id);
    }

    /** Lapses every unconfirmed request past its time; answers how many. */
    int expire(Instant now) {
        return jdbc.update("UPDATE signup_request SET status = 'EXPIRED', closed_at = ? WHERE status = 'PENDING' AND expires_at <= ?",
                now, now);
    }

    /** Open requests made before {@code madeBefore}, not yet reminded, whose contact is still PENDING on the channel. */
    List<Request> dueForReminder(Instant madeBefore, Instant now, int limit) {
        return jdbc.query("SELECT r.* FROM signup_request r JOIN contact c ON c.id = r.contact_id "
                + "WHERE r.status = 'PENDING' AND r.reminded_at IS NULL AND r.created_at <= ? AND r.expires_at > ? "
                + "AND c.erased_at IS NULL AND CASE WHEN r.channel = 'EMAIL' THEN c.email_consent ELSE c.sms_consent END = 'PENDING' "
                + "ORDER BY r.id LIMIT ?", Request::map, madeBefore, now, limit);
    }

    /** Claims the one reminder of a request: false when another sweep took it first. */
    boolean claimReminder(long id, Instant now) {
        return jdbc.update("UPDATE signup_request SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND status = 'PENDING'",
                now, id) == 1;
    }

    void reminderSent(long id, long messageId) {
        jdbc.update("UPDATE signup_request SET reminder_message_id = ? WHERE id = ?", messageId, id);
    }

    Counts counts(long formId) {
        return jdbc.queryOne("SELECT COUNT(*), "
                        + "SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'CONFIRMED' THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN status = 'EXPIRED' THEN 1 ELSE 0 END), SUM(CASE WHEN enrolled THEN 1 ELSE 0 END), "
                        // people who booked after confirming through this form, once each
                        + "(SELECT COUNT(DISTINCT b.contact_id) FROM booking b JOIN signup_request x ON x.contact_id = b.contact_id "
                        + " WHERE x.form_id = ? AND x.status = 'CONFIRMED' AND b.status IN ('BOOKED', 'ATTENDED') "
                        + " AND b.requested_at >= x.confirmed_at) "
                        + "FROM signup_request WHERE form_id = ?",
                rs -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                formId, formId).orElse(new Counts(0, 0, 0, 0, 0, 0));
    }

    List<Pending> pending(long formId, int limit) {
        return jdbc.query("SELECT id, contact_id, channel, source, created_at, expires_at, reminded_at FROM signup_request "
                        + "WHERE form_id = ? AND status = 'PENDING' ORDER BY created_at LIMIT ?",
                rs -> new Pending(rs.getLong(1), rs.getLong(2), Channel.valueOf(rs.getString(3)), rs.getString(4),
                        Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"), rs.getTimestamp("reminded_at") != null),
                formId, limit);
    }

    /** Why the last confirmations did not enroll anyone, newest first (the campaign was not running). */
    List<String> enrollmentProblems(long formId) {
        return jdbc.query("SELECT enrollment FROM signup_request WHERE form_id = ? AND status = 'CONFIRMED' AND NOT enrolled "
                + "AND enrollment IS NOT NULL ORDER BY confirmed_at DESC LIMIT 5", rs -> rs.getString(1), formId);
    }

    List<Request> forContact(long contactId) {
        return jdbc.query("SELECT * FROM signup_request WHERE contact_id = ? ORDER BY id", Request::map, contactId);
    }
}
