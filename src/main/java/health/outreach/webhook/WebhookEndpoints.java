package health.outreach.webhook;

import health.outreach.announce.EventType;
import health.outreach.audit.AuditLog;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.common.WebhookSignatures;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Registered endpoints: each change checked, written and audited in one transaction. */
@Singleton
public class WebhookEndpoints {

    /** What an administrator sets. */
    public record Fields(String url, @Nullable String description, List<String> eventTypes, boolean enabled) {
    }

    /** A new secret, shown this once. */
    @Serdeable
    public record Secret(long endpointId, String secret, @Nullable Instant previousSecretValidUntil) {
    }

    private final Jdbc jdbc;
    private final AddressGuard guard;
    private final Deliveries deliveries;
    private final WebhookSettings settings;
    private final AuditLog audit;
    private final Clock clock;

    WebhookEndpoints(Jdbc jdbc, AddressGuard guard, Deliveries deliveries, WebhookSettings settings, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.guard = guard;
        this.deliveries = deliveries;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    public List<WebhookEndpoint> list() {
        return withTypes(jdbc.query("SELECT * FROM webhook_endpoint ORDER BY id", WebhookEndpoints::map));
    }

    public WebhookEndpoint get(long id) {
        return withTypes(jdbc.query("SELECT * FROM webhook_endpoint WHERE id = ?", WebhookEndpoints::map, id)).stream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id));
    }

    /** Everything wrong with the fields, each at its field. */
    public List<FieldError> problems(Fields f) {
        List<FieldError> errors = new ArrayList<>();
        if (f.url() == null || f.url().isBlank()) {
            errors.add(FieldError.of("url", "the receiver's URL is required, as in https://hooks.example.org/outreach"));
        } else if (f.url().length() > 2000) {
            errors.add(FieldError.of("url", "at most 2000 characters"));
        } else {
            guard.problem(f.url()).ifPresent(p -> errors.add(FieldError.of("url", p)));
        }
        if (f.description() != null && f.description().length() > 500) {
            errors.add(FieldError.of("description", "at most 500 characters"));
        }
        if (f.eventTypes() == null || f.eventTypes().isEmpty()) {
            errors.add(FieldError.of("eventTypes", "choose at least one event type"));
        } else {
            f.eventTypes().stream().filter(t -> EventType.named(t).isEmpty()).findFirst().ifPresent(t -> errors.add(FieldError.of(
                    "eventTypes", "'" + t + "' is not an event type; known: " + String.join(", ", names()))));
        }
        return errors;
    }

    @Transactional
    public Secret create(Fields f) {
        check(f);
        Instant now = clock.instant();
        String secret = WebhookSignatures.newSecret();
        long id = jdbc.insert("INSERT INTO webhook_endpoint (url, description, enabled, secret, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", f.url().strip(), blankToNull(f.description()), f.enabled(), secret, now, now);
        subscribe(id, f.eventTypes());
        audit.record("webhook.create", "webhook_endpoint", id, Map.of("url", f.url().strip(), "eventTypes", f.eventTypes()));
        return new Secret(id, secret, null);
    }

    /** Enabling an endpoint the service disabled clears its failure record: its pending deliveries go out again. */
    @Transactional
    public WebhookEndpoint update(long id, Fields f) {
        WebhookEndpoint before = get(id);
        check(f);
        Instant now = clock.instant();
        boolean reenabled = f.enabled() && !before.enabled();
        jdbc.update("UPDATE webhook_endpoint SET url = ?, description = ?, enabled = ?, updated_at = ?, "
                        + "failing_since = CASE WHEN ? THEN NULL ELSE failing_since END, "
                        + "consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures END, "
                        + "disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END, "
                        + "disabled_at = CASE WHEN ? THEN NULL ELSE disabled_at END WHERE id = ?",
                f.url().strip(), blankToNull(f.description()), f.enabled(), now, reenabled, reenabled, reenabled, reenabled, id);
        jdbc.update("DELETE FROM webhook_subscription WHERE endpoint_id = ?", id);
        subscribe(id, f.eventTypes());
        audit.record("webhook.update", "webhook_endpoint", id, Map.of("url", f.url().strip(), "eventTypes", f.eventTypes(),
                "enabled", f.enabled()));
        return get(id);
    }

    /** A new secret; the one it replaces keeps signing too for the overlap, so receivers can switch without a gap. */
    @Transactional
    public Secret rotate(long id) {
        get(id);
        Instant until = Deliveries.stored(clock.instant().plus(settings.rotationOverlap())); // compared with a claim's now
        String secret = WebhookSignatures.newSecret();
        jdbc.update("UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_until = ?, secret = ?, updated_at = ? "
                + "WHERE id = ?", until, secret, clock.instant(), id);
        audit.record("webhook.rotate-secret", "webhook_endpoint", id, Map.of("previousValidUntil", until.toString()));
        return new Secret(id, secret, until);
    }

    @Transactional
    public void replay(long endpointId, long deliveryId) {
        get(endpointId);
        if (!deliveries.replay(endpointId, deliveryId, clock.instant())) {
            throw ProblemException.notFound("Delivery", deliveryId);
        }
        audit.record("webhook.replay", "webhook_endpoint", endpointId, Map.of("delivery", deliveryId));
    }

    static List<String> names() {
        return Arrays.stream(EventType.values()).map(EventType::wireName).toList();
    }

    private void check(Fields f) {
        List<FieldError> errors = problems(f);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private void subscribe(long id, List<String> types) {
        jdbc.batch("INSERT INTO webhook_subscription (event_type, endpoint_id) VALUES (?, ?)",
                new LinkedHashSet<>(types).stream().map(t -> new Object[]{t, id}).toList());
    }

    private List<WebhookEndpoint> withTypes(List<WebhookEndpoint> endpoints) {
        Map<Long, List<String>> types = new HashMap<>();
        jdbc.query("SELECT endpoint_id, event_type FROM webhook_subscription ORDER BY event_type", rs -> {
            types.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
            return null;
        });
        return endpoints.stream().map(e -> new WebhookEndpoint(e.id(), e.url(), e.description(), e.enabled(),
                types.getOrDefault(e.id(), List.of()), e.previousSecretValidUntil(), e.failingSince(), e.consecutiveFailures(),
                e.disabledReason(), e.disabledAt(), e.createdAt(), e.updatedAt())).toList();
    }

    private static WebhookEndpoint map(ResultSet rs) throws SQLException {
        return new WebhookEndpoint(rs.getLong("id"), rs.getString("url"), rs.getString("description"), rs.getBoolean("enabled"),
                List.of(), Jdbc.instant(rs, "previous_secret_until"), Jdbc.instant(rs, "failing_since"),
                rs.getInt("consecutive_failures"), rs.getString("disabled_reason"), Jdbc.instant(rs, "disabled_at"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
