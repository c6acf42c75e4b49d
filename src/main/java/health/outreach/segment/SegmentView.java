package health.outreach.segment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

@Serdeable
public record SegmentView(long id, String name, @Nullable String description, SegmentRule rule,
                          String createdBy, Instant createdAt, Instant updatedAt) {
}
