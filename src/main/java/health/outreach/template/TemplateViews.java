package health.outreach.template;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;

/** The template API's request and response shapes. */
public final class TemplateViews {

    private TemplateViews() {
    }

    @Serdeable
    public record Summary(long id, String name, Channel channel, @Nullable String purpose, @Nullable String description,
                          int currentVersion, @Nullable String libraryKey, boolean archived, Instant updatedAt) {
    }

    @Serdeable
    public record Detail(long id, String name, Channel channel, @Nullable String purpose, @Nullable String description,
                         int version, int currentVersion, List<String> attributes, List<TemplateVariant> variants,
                         @Nullable String libraryKey, boolean archived, String createdBy, Instant createdAt) {
    }

    @Serdeable
    public record VersionInfo(int version, String createdBy, Instant createdAt) {
    }

    @Serdeable
    public record Form(@NotBlank @Size(max = 200) String name,
                       @NotNull Channel channel,
                       @Nullable @Size(max = 16) String purpose,
                       @Nullable @Size(max = 2000) String description,
                       @Nullable @Size(max = 20) List<String> attributes,
                       @Nullable @Size(max = 30) List<TemplateVariant> variants) {
    }

    @Serdeable
    public record PreviewRequest(@Nullable Long contactId, @Nullable @Size(max = 35) String locale,
                                 @Nullable Integer version) {
    }

    @Serdeable
    public record Preview(long templateId, int version, String locale, @Nullable String subject, @Nullable String html,
                          @Nullable String text, @Nullable String sms, @Nullable String smsEncoding,
                          @Nullable Integer smsSegments, @Nullable Integer smsCharacters, @Nullable Double readingGrade,
                          @Nullable String readingFormula, List<String> links, List<String> warnings) {
    }
}
