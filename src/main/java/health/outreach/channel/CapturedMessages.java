package health.outreach.channel;

import health.outreach.contact.ErasureListener;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The capture outbox of the embedded default: what would have gone to SMTP or the SMS provider. */
@Singleton
public class CapturedMessages implements ErasureListener {

    @Serdeable
    public record Captured(long id, Channel channel, @Nullable Long messageId, String to, @Nullable String from,
                           @Nullable String subject, @Nullable String text, @Nullable String html,
                           @Nullable String headers, Instant capturedAt) {
    }

    private final Jdbc jdbc;
    private final Clock clock;

    public CapturedMessages(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void add(Channel channel, long messageId, String to, String from, String subject, String text, String html,
                    String headers) {
        jdbc.update("INSERT INTO captured_message (channel, message_id, recipient, sender, subject, text_body, html_body, "
                + "headers, captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", channel, messageId, to, from, subject, text,
                html, headers, clock.instant());
    }

    public java.util.Optional<Captured> find(long id) {
        return jdbc.queryOne("SELECT * FROM captured_message WHERE id = ?", CapturedMessages::map, id);
    }

    public List<Captured> list(@Nullable Channel channel, @Nullable String to, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM captured_message WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (channel != null) {
            sql.append(" AND channel = ?");
            params.add(channel);
        }
        if (to != null) {
            // Part of an address or number is enough: "pat@" or "5550". LIKE's wildcards in the input are literal.
            sql.append(" AND LOWER(recipient) LIKE ? ESCAPE '\\'");
            params.add("%" + to.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit);
        return jdbc.query(sql.toString(), CapturedMessages::map, params.toArray());
    }

    private static Captured map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Captured(rs.getLong("id"), Channel.valueOf(rs.getString("channel")), Jdbc.nullableLong(rs, "message_id"),
                rs.getString("recipient"), rs.getString("sender"), rs.getString("subject"), rs.getString("text_body"),
                rs.getString("html_body"), rs.getString("headers"), Jdbc.instant(rs, "captured_at"));
    }

    /** An erased person's captured copies go with the rest of their data. */
    @Override
    public void erased(long contactId, Instant at) {
        jdbc.update("DELETE FROM captured_message WHERE message_id IN (SELECT id FROM message WHERE contact_id = ?)", contactId);
    }
}
