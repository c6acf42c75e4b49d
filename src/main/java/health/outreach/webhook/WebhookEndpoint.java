package health.outreach.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A registered receiver as the API and pages show it; the secrets never leave the service except
 * once, when made. {@code disabledReason} says why the service disabled it by itself.
 */
@Serdeable
public record WebhookEndpoint(long id, String url, @Nullable String description, boolean enabled, List<String> eventTypes,
                              @Nullable Instant previousSecretValidUntil, @Nullable Instant failingSince, int consecutiveFailures,
                              @Nullable String disabledReason, @Nullable Instant disabledAt, Instant createdAt, Instant updatedAt) {
}
