package health.outreach.tracking;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.events.EventSubject;
import io.micronaut.core.annotation.Nullable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The message a public token names, with what the public pages need about its contact. */
public record MessageRef(long id, long contactId, @Nullable Long campaignId, @Nullable Long stepId,
                         @Nullable Long enrollmentId, Channel channel, @Nullable Long templateVersionId,
                         String status, @Nullable Instant sentAt, @Nullable Instant clickedAt, @Nullable Instant openedAt,
                         String locale, @Nullable String firstName, @Nullable String email, @Nullable String phone,
                         @Nullable Long clinicId, @Nullable Instant erasedAt)
        implements EventSubject {

    static final String SELECT = "SELECT m.id, m.contact_id, m.campaign_id, m.step_id, m.enrollment_id, m.channel, "
            + "m.template_version_id, m.status, m.sent_at, m.clicked_at, m.opened_at, c.locale, c.first_name, c.email, "
            + "c.phone, c.clinic_id, c.erased_at FROM message m JOIN contact c ON c.id = m.contact_id ";

    static MessageRef map(ResultSet rs) throws SQLException {
        return new MessageRef(rs.getLong("id"), rs.getLong("contact_id"), Jdbc.nullableLong(rs, "campaign_id"),
                Jdbc.nullableLong(rs, "step_id"), Jdbc.nullableLong(rs, "enrollment_id"), Channel.valueOf(rs.getString("channel")),
                Jdbc.nullableLong(rs, "template_version_id"), rs.getString("status"), Jdbc.instant(rs, "sent_at"),
                Jdbc.instant(rs, "clicked_at"), Jdbc.instant(rs, "opened_at"), rs.getString("locale"),
                rs.getString("first_name"), rs.getString("email"), rs.getString("phone"), Jdbc.nullableLong(rs, "clinic_id"),
                Jdbc.instant(rs, "erased_at"));
    }
}
