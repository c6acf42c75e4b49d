package health.outreach.webhook;

import health.outreach.audit.AuditLog;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The webhook outbox's claims and outcomes. A claim locks due deliveries with SKIP LOCKED (nodes take
 * disjoint batches), counts the attempt and moves due_at to the end of a lease: a node that dies
 * mid-send leaves them due again then (the receiver may get one twice, with the same webhook-id). An
 * outcome applies only to the attempt it belongs to. Call each inside a transaction.
 */
@Singleton
class Deliveries {

    /** A claimed delivery with what its send needs. */
    record Claim(long deliveryId, long endpointId, int attempt, Instant firstAttemptAt, URI url, String webhookId,
                 String body, List<String> secrets) {
    }

    private static final String DUE = """
            SELECT id FROM webhook_delivery
            WHERE status = 'PENDING' AND due_at <= ?
              AND endpoint_id IN (SELECT id FROM webhook_endpoint WHERE enabled)
            ORDER BY due_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";

    private static final String LOAD = """
            SELECT d.id, d.endpoint_id, d.attempts, d.first_attempt_at, e.url, e.secret, e.previous_secret,
                   e.previous_secret_until, ev.webhook_id, ev.body
            FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id JOIN webhook_event ev ON ev.id = d.event_id
            WHERE d.id = ANY (?) ORDER BY d.due_at, d.id""";

    private final Jdbc jdbc;
    private final WebhookSettings settings;
    private final AuditLog audit;
    private final Backoff backoff;

    Deliveries(Jdbc jdbc, WebhookSettings settings, AuditLog audit) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.audit = audit;
        this.backoff = Backoff.of(settings);
    }

    List<Claim> claim(Instant at, int limit) {
        Instant now = stored(at);
        List<Long> ids = jdbc.query(DUE, rs -> rs.getLong(1), now, limit);
        if (ids.isEmpty()) {
            return List.of();
        }
        jdbc.update("UPDATE webhook_delivery SET due_at = ?, attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?), "
                + "last_attempt_at = ? WHERE id = ANY (?)", now.plus(settings.lease()), now, now, Jdbc.array("bigint", ids));
        return jdbc.query(LOAD, rs -> claim(rs, now), Jdbc.array("bigint", ids));
    }

    private static Claim claim(ResultSet rs, Instant now) throws SQLException {
        List<String> secrets = new ArrayList<>(List.of(rs.getString("secret")));
        Instant previousUntil = Jdbc.instant(rs, "previous_secret_until");
        if (rs.getString("previous_secret") != null && previousUntil != null && previousUntil.isAfter(now)) {
            secrets.add(rs.getString("previous_secret")); // a rotation's overlap: receivers may still hold the old one
        }
        return new Claim(rs.getLong("id"), rs.getLong("endpoint_id"), rs.getInt("attempts"), Jdbc.instant(rs, "first_attempt_at"),
                URI.create(rs.getString("url")), rs.getString("webhook_id"), rs.getString("body"), secrets);
    }

    void record(Claim c, WebhookSender.Outcome o, Instant at) {
        Instant now = stored(at);
        jdbc.update("INSERT INTO webhook_attempt (delivery_id, endpoint_id, attempted_at, status_code, latency_ms, succeeded, error, "
                        + "response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.deliveryId(), c.endpointId(), now, o.status(),
                o.latencyMs(), o.succeeded(), cut(o.error(), 500), cut(o.excerpt(), 2000));
        if (o.succeeded()) {
            jdbc.update("UPDATE webhook_delivery SET status = 'SUCCEEDED', delivered_at = ?, last_error = NULL "
                    + "WHERE id = ? AND attempts = ? AND status = 'PENDING'", now, c.deliveryId(), c.attempt());
            jdbc.update("UPDATE webhook_endpoint SET failing_since = NULL, consecutive_failures = 0 WHERE id = ?", c.endpointId());
            return;
        }
        Instant next = backoff.next(c.attempt(), c.firstAttemptAt(), now, ThreadLocalRandom.current()::nextDouble);
        jdbc.update("UPDATE webhook_delivery SET status = ?, due_at = ?, last_error = ? WHERE id = ? AND attempts = ? AND status = 'PENDING'",
                next == null ? "FAILED" : "PENDING", next == null ? now : next, cut(o.error(), 500),
                c.deliveryId(), c.attempt());
        jdbc.update("UPDATE webhook_endpoint SET failing_since = COALESCE(failing_since, ?), consecutive_failures = consecutive_failures + 1 "
                + "WHERE id = ?", now, c.endpointId());
        String reason = "Disabled after failing since %s (" + settings.disableAfter() + " or more without a success); last error: "
                + o.error();
        int disabled = jdbc.update("UPDATE webhook_endpoint SET enabled = FALSE, disabled_at = ?, disabled_reason = ?, updated_at = ? "
                        + "WHERE id = ? AND enabled AND failing_since <= ? AND consecutive_failures >= ?", now,
                cut(reason.formatted(failingSince(c.endpointId())), 1000), now, c.endpointId(), now.minus(settings.disableAfter()),
                settings.disableMinFailures());
        if (disabled == 1) {
            audit.recordAs(AuditLog.SYSTEM, null, "webhook.disable", "webhook_endpoint", c.endpointId(), Map.of("reason", "failing"));
        }
    }

    /** Sends the delivery again from scratch, with the same webhook-id and body; false when there is no such delivery. */
    boolean replay(long endpointId, long deliveryId, Instant at) {
        Instant now = stored(at);
        return jdbc.update("UPDATE webhook_delivery SET status = 'PENDING', due_at = ?, attempts = 0, first_attempt_at = NULL, "
                + "last_error = NULL WHERE id = ? AND endpoint_id = ?", now, deliveryId, endpointId) == 1;
    }

    /**
     * An instant as the database keeps it. The clock has nanoseconds and the column microseconds, rounded: a
     * value written as is may be stored up to half a microsecond later than it is, and then a delivery due
     * "now" is not due by the same now, and the give-up deadline (computed here from the stored first
     * attempt) and the disable rule (compared in SQL) disagree about whether a day has passed.
     */
    static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private Instant failingSince(long endpointId) {
        return jdbc.queryOne("SELECT failing_since FROM webhook_endpoint WHERE id = ?", rs -> Jdbc.instant(rs, "failing_since"),
                endpointId).orElse(null);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
