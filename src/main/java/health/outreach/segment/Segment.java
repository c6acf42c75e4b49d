package health.outreach.segment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

@MappedEntity("segment")
public record Segment(@Id @GeneratedValue @Nullable Long id,
                      String name,
                      @Nullable String description,
                      String ruleJson,
                      String createdBy,
                      Instant createdAt,
                      Instant updatedAt) {
}
