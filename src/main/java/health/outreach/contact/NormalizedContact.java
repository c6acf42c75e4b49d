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

    /**
     * The merge rule, for the API and the importer alike: this (incoming) contact's values win
     * where it has them, the rest stays as on record; the locale only when the caller gave one,
     * since a filled-in default is not a wish to change it. Clinic and attributes are this one's.
     */
    public NormalizedContact onto(NormalizedContact old, boolean localeGiven) {
        return new NormalizedContact(
                externalId != null ? externalId : old.externalId(),
                firstName != null ? firstName : old.firstName(),
                lastName != null ? lastName : old.lastName(),
                email != null ? email : old.email(),
                phone != null ? phone : old.phone(),
                localeGiven ? locale : old.locale(),
                timeZone != null ? timeZone : old.timeZone(),
                postalCode != null ? postalCode : old.postalCode(),
                clinicCode, attributes);
    }
}
