package health.outreach.program;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

@MappedEntity("clinic")
public record Clinic(@Id @GeneratedValue @Nullable Long id,
                     String code,
                     String name,
                     @Nullable String phone,
                     @Nullable String address,
                     @Nullable String postalCode,
                     String timeZone,
                     @Nullable String webhookSecret,
                     @Nullable String webhookSecretPrevious,
                     Instant createdAt) {
}
