package health.outreach.contact;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** One line of the consent ledger: who, when, through what, agreeing to which words. */
@Serdeable
public record ConsentEntry(long id,
                           long contactId,
                           Channel channel,
                           ConsentAction action,
                           ConsentState stateAfter,
                           String source,
                           @Nullable String wording,
                           @Nullable String evidence,
                           String actor,
                           @Nullable Long messageId,
                           Instant occurredAt,
                           Instant recordedAt) {

    static ConsentEntry map(ResultSet rs) throws SQLException {
        return new ConsentEntry(rs.getLong("id"), rs.getLong("contact_id"), Channel.valueOf(rs.getString("channel")),
                ConsentAction.valueOf(rs.getString("action")), ConsentState.valueOf(rs.getString("state_after")),
                rs.getString("source"), rs.getString("wording"), rs.getString("evidence"), rs.getString("actor"),
                Jdbc.nullableLong(rs, "message_id"), Jdbc.instant(rs, "occurred_at"), Jdbc.instant(rs, "recorded_at"));
    }
}
