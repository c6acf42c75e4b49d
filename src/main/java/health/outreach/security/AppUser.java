package health.outreach.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

@MappedEntity("app_user")
public record AppUser(@Id @GeneratedValue @Nullable Long id,
                      String username,
                      @Nullable String displayName,
                      String passwordHash,
                      Role role,
                      boolean enabled,
                      Instant createdAt,
                      Instant updatedAt) {
}
