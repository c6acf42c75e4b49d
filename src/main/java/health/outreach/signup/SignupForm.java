package health.outreach.signup;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sign-up form at {@code /join/{key}}: the fields it asks, the channels it offers, its words in
 * each language (at {@code version}), the campaign people are enrolled into when they confirm, the
 * partner sites that may embed it, and the SMS keywords (upper case, to language) that start its
 * opt-in by text.
 */
@Serdeable
public record SignupForm(long id, String key, List<String> fields, List<Channel> channels, @Nullable Long campaignId,
                         List<String> partnerOrigins, int version, Map<String, FormText> texts,
                         Map<String, String> keywords, String createdBy, Instant createdAt, Instant updatedAt) {

    public static final List<String> FIELDS = List.of("name", "email", "phone", "postalCode", "language", "topics");
    public static final List<String> LANGUAGES = List.of("en", "es");

    public boolean asks(String field) {
        return fields.contains(field);
    }

    public boolean offers(Channel channel) {
        return channels.contains(channel);
    }

    public FormText text(String language) {
        return texts.getOrDefault(language, texts.get("en"));
    }
}
