package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import io.micronaut.core.annotation.Nullable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A claimed message with everything needed to decide, render and send it, loaded in one query. */
public record Claimed(long id, @Nullable Long campaignId, @Nullable Long stepId, @Nullable Long enrollmentId,
                      long contactId, Channel channel, String kind, @Nullable Long versionId, int attempts,
                      @Nullable Instant firstAttemptedAt,
                      @Nullable String firstName, @Nullable String lastName, @Nullable String email, @Nullable String phone,
                      String locale, @Nullable String postalCode, @Nullable Long clinicId, ConsentState consent,
                      @Nullable Instant erasedAt, @Nullable Instant pausedUntil, boolean smsNoticeDue, String zone,
                      @Nullable String enrollmentStatus, boolean holdout, boolean suppressed,
                      @Nullable String campaignName, @Nullable String campaignLocale) {

    static final String SELECT = """
            SELECT m.id, m.campaign_id, m.step_id, m.enrollment_id, m.contact_id, m.channel, m.kind, m.template_version_id,
                   m.attempts, m.first_attempted_at, c.first_name, c.last_name, c.email, c.phone, c.locale, c.postal_code, c.clinic_id,
                   CASE WHEN m.channel = 'EMAIL' THEN c.email_consent ELSE c.sms_consent END AS consent,
                   c.erased_at, c.paused_until, c.sms_notice_due,
                   COALESCE(e.time_zone, c.time_zone, cl.time_zone, ?) AS zone,
                   e.status AS enrollment_status, COALESCE(e.holdout, FALSE) AS holdout,
                   EXISTS (SELECT 1 FROM suppression s WHERE s.channel = m.channel
                           AND s.address_hash = CASE WHEN m.channel = 'EMAIL' THEN c.email_hash ELSE c.phone_hash END) AS suppressed,
                   cp.name AS campaign_name, cp.default_locale AS campaign_locale
            FROM message m
            JOIN contact c ON c.id = m.contact_id
            LEFT JOIN enrollment e ON e.id = m.enrollment_id
            LEFT JOIN campaign cp ON cp.id = m.campaign_id
            LEFT JOIN clinic cl ON cl.id = c.clinic_id
            WHERE m.id = ANY (?)""";

    static Claimed map(ResultSet rs) throws SQLException {
        return new Claimed(rs.getLong("id"), Jdbc.nullableLong(rs, "campaign_id"), Jdbc.nullableLong(rs, "step_id"),
                Jdbc.nullableLong(rs, "enrollment_id"), rs.getLong("contact_id"), Channel.valueOf(rs.getString("channel")),
                rs.getString("kind"), Jdbc.nullableLong(rs, "template_version_id"), rs.getInt("attempts"),
                Jdbc.instant(rs, "first_attempted_at"), rs.getString("first_name"), rs.getString("last_name"), rs.getString("email"),
                rs.getString("phone"), rs.getString("locale"), rs.getString("postal_code"), Jdbc.nullableLong(rs, "clinic_id"),
                ConsentState.valueOf(rs.getString("consent")), Jdbc.instant(rs, "erased_at"), Jdbc.instant(rs, "paused_until"),
                rs.getBoolean("sms_notice_due"), rs.getString("zone"), rs.getString("enrollment_status"),
                rs.getBoolean("holdout"), rs.getBoolean("suppressed"), rs.getString("campaign_name"),
                rs.getString("campaign_locale"));
    }

    /** The kind of a request to confirm a sign-up (see {@link Replies#queueConfirmation}). */
    static final String CONFIRMATION = "CONFIRMATION";

    public boolean campaign() {
        return "CAMPAIGN".equals(kind);
    }

    public boolean confirmation() {
        return CONFIRMATION.equals(kind);
    }

    public String address() {
        return channel == Channel.EMAIL ? email : phone;
    }
}
