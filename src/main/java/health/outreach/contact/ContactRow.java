package health.outreach.contact;

import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** One contact row as stored. */
public record ContactRow(long id,
                         @Nullable String externalId,
                         @Nullable String firstName,
                         @Nullable String lastName,
                         @Nullable String email,
                         @Nullable String phone,
                         String locale,
                         @Nullable String timeZone,
                         @Nullable String postalCode,
                         @Nullable Long clinicId,
                         ConsentState emailConsent,
                         ConsentState smsConsent,
                         @Nullable Instant pausedUntil,
                         @Nullable Instant erasedAt,
                         Instant createdAt,
                         Instant updatedAt) {

    /** The person's fields as a contact to merge onto. */
    NormalizedContact fields() {
        return new NormalizedContact(externalId, firstName, lastName, email, phone, locale, timeZone, postalCode, null, Map.of());
    }

    static final String COLUMNS = "c.id, c.external_id, c.first_name, c.last_name, c.email, c.phone, c.locale, "
            + "c.time_zone, c.postal_code, c.clinic_id, c.email_consent, c.sms_consent, c.paused_until, "
            + "c.erased_at, c.created_at, c.updated_at";

    static ContactRow map(ResultSet rs) throws SQLException {
        return new ContactRow(rs.getLong("id"), rs.getString("external_id"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("email"), rs.getString("phone"), rs.getString("locale"),
                rs.getString("time_zone"), rs.getString("postal_code"), Jdbc.nullableLong(rs, "clinic_id"),
                ConsentState.valueOf(rs.getString("email_consent")), ConsentState.valueOf(rs.getString("sms_consent")),
                Jdbc.instant(rs, "paused_until"), Jdbc.instant(rs, "erased_at"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }

    public ConsentState consent(health.outreach.common.Channel channel) {
        return channel == health.outreach.common.Channel.EMAIL ? emailConsent : smsConsent;
    }

    public String address(health.outreach.common.Channel channel) {
        return channel == health.outreach.common.Channel.EMAIL ? email : phone;
    }
}
