package health.outreach.signup;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/** A form as the API and the admin page send it, before validation. */
@Serdeable
public record FormInput(@Nullable String key, @Nullable List<String> fields, @Nullable List<String> channels,
                        @Nullable Long campaignId, @Nullable List<String> partnerOrigins,
                        @Nullable Map<String, FormText> texts, @Nullable Map<String, String> keywords) {
}
