package health.outreach.contact;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A contact as the API shows it: fields, typed attributes, current consent per channel, and the
 * suppressions that stop sending to an address whatever its consent says.
 */
@Serdeable
public record ContactView(long id,
                          @Nullable String externalId,
                          @Nullable String firstName,
                          @Nullable String lastName,
                          @Nullable String email,
                          @Nullable String phone,
                          String locale,
                          @Nullable String timeZone,
                          @Nullable String postalCode,
                          @Nullable String clinic,
                          Map<String, Object> attributes,
                          Map<Channel, ConsentState> consent,
                          List<SuppressionView> suppressions,
                          @Nullable Instant pausedUntil,
                          boolean erased,
                          Instant createdAt,
                          Instant updatedAt) {

    static ContactView of(ContactRow row, Map<String, Object> attributes, String clinicCode, List<SuppressionView> suppressions) {
        return new ContactView(row.id(), row.externalId(), row.firstName(), row.lastName(), row.email(), row.phone(),
                row.locale(), row.timeZone(), row.postalCode(), clinicCode, attributes == null ? Map.of() : attributes,
                Map.of(Channel.EMAIL, row.emailConsent(), Channel.SMS, row.smsConsent()),
                suppressions == null ? List.of() : suppressions, row.pausedUntil(),
                row.erasedAt() != null, row.createdAt(), row.updatedAt());
    }
}
