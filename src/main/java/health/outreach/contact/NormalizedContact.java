package health.outreach.contact;

import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/**
 * A validated contact: email lower-cased, phone in E.164, canonical BCP-47 locale, IANA zone.
 * {@code attributes} maps a name to its typed value, or to null when the caller asked to remove it.
 */
public record NormalizedContact(@Nullable String externalId,
                                @Nullable String firstName,
                                @Nullable String lastName,
                                @Nullable String email,
                                @Nullable String phone,
                                String locale,
                                @Nullable String timeZone,
                                @Nullable String postalCode,
                                @Nullable String clinicCode,
                                Map<String, TypedValue> attributes) {

    public record TypedValue(AttributeType type, Object value) {
    }
}
