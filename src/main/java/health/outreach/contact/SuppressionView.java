package health.outreach.contact;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An address of the contact that nothing is sent to any more, whatever the consent says: a hard
 * bounce, a spam complaint, an erasure. {@code source} names what caused it (a message, a webhook).
 */
@Serdeable
public record SuppressionView(Channel channel, String reason, @Nullable String source, Instant since) {
}
