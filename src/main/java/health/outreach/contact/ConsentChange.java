package health.outreach.contact;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A request to append to the ledger.
 *
 * @param allowReopen whether this source may take an opted-out person back in: only the person
 *                    themselves (preference page, START reply) or a recorded proof from staff;
 *                    never a bulk import
 */
public record ConsentChange(Channel channel,
                            ConsentAction action,
                            String source,
                            @Nullable String wording,
                            @Nullable String evidence,
                            String actor,
                            @Nullable Long messageId,
                            Instant occurredAt,
                            boolean allowReopen) {
}
