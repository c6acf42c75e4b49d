package health.outreach.webhook;

import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** What was sent to an endpoint, newest first: its deliveries and every attempt. */
@Singleton
public class DeliveryLog {

    @Serdeable
    public record Delivery(long id, String webhookId, String eventType, long sequence, String status, int attempts,
                           @Nullable Instant nextAttemptAt, @Nullable Instant deliveredAt, @Nullable String lastError,
                           Instant createdAt) {
    }

    @Serdeable
    public record Attempt(long id, long deliveryId, String webhookId, String eventType, Instant attemptedAt,
                          @Nullable Integer statusCode, long latencyMs, boolean succeeded, @Nullable String error,
                          @Nullable String responseExcerpt) {
    }

    private final Jdbc jdbc;

    DeliveryLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Delivery> deliveries(long endpointId, int limit) {
        return jdbc.query("""
                SELECT d.id, ev.webhook_id, ev.event_type, ev.sequence, d.status, d.attempts, d.due_at, d.delivered_at,
                       d.last_error, d.created_at
                FROM webhook_delivery d JOIN webhook_event ev ON ev.id = d.event_id
                WHERE d.endpoint_id = ? ORDER BY d.id DESC LIMIT ?""", rs -> new Delivery(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getLong(4), rs.getString(5), rs.getInt(6),
                "PENDING".equals(rs.getString(5)) ? Jdbc.instant(rs, "due_at") : null, Jdbc.instant(rs, "delivered_at"),
                rs.getString(9), Jdbc.instant(rs, "created_at")), endpointId, limit);
    }

    public List<Attempt> attempts(long endpointId, int limit) {
        return jdbc.query("""
                SELECT a.id, a.delivery_id, ev.webhook_id, ev.event_type, a.attempted_at, a.status_code, a.latency_ms,
                       a.succeeded, a.error, a.response_excerpt
                FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id JOIN webhook_event ev ON ev.id = d.event_id
                WHERE a.endpoint_id = ? ORDER BY a.id DESC LIMIT ?""", rs -> new Attempt(rs.getLong(1), rs.getLong(2),
                rs.getString(3), rs.getString(4), Jdbc.instant(rs, "attempted_at"), Jdbc.nullableInt(rs, "status_code"),
                rs.getLong(7), rs.getBoolean(8), rs.getString(9), rs.getString(10)), endpointId, limit);
    }

    /** The body a delivery sends, exactly as signed. */
    public java.util.Optional<String> body(long endpointId, long deliveryId) {
        return jdbc.queryOne("SELECT ev.body FROM webhook_delivery d JOIN webhook_event ev ON ev.id = d.event_id "
                + "WHERE d.id = ? AND d.endpoint_id = ?", rs -> rs.getString(1), deliveryId, endpointId);
    }
}
