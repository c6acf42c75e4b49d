package health.outreach.program;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The program running the outreach: its name, postal address and support contact appear in every message. */
@Serdeable
@MappedEntity("program")
public record Program(@Id Integer id,
                      String name,
                      String postalAddress,
                      @Nullable String supportPhone,
                      @Nullable String supportEmail,
                      @Nullable String website,
                      String defaultTimeZone,
                      String defaultLocale,
                      Instant updatedAt) {

    public static final int ID = 1;
}
