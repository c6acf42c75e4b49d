package health.outreach.template;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One locale's parts: subject, HTML and text for email; sms for SMS. */
@Serdeable
public record TemplateVariant(String locale,
                              @Nullable String subject,
                              @Nullable String html,
                              @Nullable String text,
                              @Nullable String sms) {

    public String part(TemplatePart part) {
        return switch (part) {
            case SUBJECT -> subject;
            case HTML -> html;
            case TEXT -> text;
            case SMS -> sms;
        };
    }
}
