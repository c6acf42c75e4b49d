package health.outreach.contact;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * A contact as a caller sends it (JSON body or one CSV row), before validation.
 * Attribute values are strings, numbers, or null (null removes the attribute).
 */
@Serdeable
public record ContactInput(@Nullable String externalId,
                           @Nullable String firstName,
                           @Nullable String lastName,
                           @Nullable String email,
                           @Nullable String phone,
                           @Nullable String locale,
                           @Nullable String timeZone,
                           @Nullable String postalCode,
                           @Nullable String clinic,
                           @Nullable Map<String, Object> attributes) {
}
