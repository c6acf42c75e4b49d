package health.outreach.webhook;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.announce.EventType;
import health.outreach.common.Jdbc;
import health.outreach.common.RandomTokens;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an announced event, in the caller's transaction, with one delivery per enabled endpoint that
 * subscribed to its type. An event nobody subscribed to costs one indexed read and leaves no row.
 */
@Singleton
class WebhookOutbox implements Announcements {

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    WebhookOutbox(Jdbc jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean wanted(EventType type) {
        return jdbc.queryLong("SELECT COUNT(*) FROM webhook_subscription s JOIN webhook_endpoint e ON e.id = s.endpoint_id "
                + "WHERE s.event_type = ? AND e.enabled", type.wireName()) > 0;
    }

    @Override
    public void announce(EventData event) {
        List<Long> endpoints = jdbc.query("SELECT s.endpoint_id FROM webhook_subscription s JOIN webhook_endpoint e "
                + "ON e.id = s.endpoint_id WHERE s.event_type = ? AND e.enabled ORDER BY s.endpoint_id", rs -> rs.getLong(1),
                event.type().wireName());
        if (endpoints.isEmpty()) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long sequence = nextSequence(event.orderKey());
        String webhookId = "msg_" + RandomTokens.newToken();
        long eventId = jdbc.insert("INSERT INTO webhook_event (webhook_id, event_type, order_key, sequence, occurred_at, body) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", webhookId, event.type().wireName(), event.orderKey(), sequence, now,
                body(event, now, sequence));
        jdbc.batch("INSERT INTO webhook_delivery (event_id, endpoint_id, status, due_at, created_at) VALUES (?, ?, 'PENDING', ?, ?)",
                endpoints.stream().map(endpoint -> new Object[]{eventId, endpoint, now, now}).toList());
    }

    /**
     * The row lock taken by the bump is held until the caller commits, so a second transaction
     * announcing for the same contact waits, and takes the next number only once this one committed.
     */
    private long nextSequence(String orderKey) {
        String bump = "UPDATE webhook_sequence SET last_value = last_value + 1 WHERE order_key = ?";
        if (jdbc.update(bump, orderKey) == 0
                && jdbc.update("INSERT INTO webhook_sequence (order_key, last_value) VALUES (?, 1) ON CONFLICT DO NOTHING", orderKey) == 0) {
            jdbc.update(bump, orderKey); // another transaction created it first
        }
        return jdbc.queryLong("SELECT last_value FROM webhook_sequence WHERE order_key = ?", orderKey);
    }

    /** The envelope Standard Webhooks suggests: type, timestamp, data; plus the sequence. See {@link WebhookEventBody}. */
    private String body(EventData event, Instant at, long sequence) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type().wireName());
        body.put("timestamp", at.toString());
        body.put("sequence", sequence);
        body.put("data", event);
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
