package health.outreach.template;

import health.outreach.common.LanguageTags;
import freemarker.template.Template;
import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.program.Clinic;
import health.outreach.program.ProgramService;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything checked before a template version is saved, each problem named by its field
 * ({@code variants[1].html}) with line and column where there is one: syntax, the sandbox rules,
 * a render of every variant against a filled and an empty sample contact (unknown variables),
 * the unsubscribe link in every email part, and the SMS segment cap.
 */
@Singleton
public class TemplateValidator {

    /** Rendered into samples so the validator can see whether the unsubscribe link made it out. */
    static final String UNSUBSCRIBE_SENTINEL = "https://outreach.invalid/u/unsubscribe-sentinel";

    private final TemplateRenderer renderer;
    private final TemplateSettings settings;
    private final ProgramService program;

    public TemplateValidator(TemplateRenderer renderer, TemplateSettings settings, ProgramService program) {
        this.renderer = renderer;
        this.settings = settings;
        this.program = program;
    }

    public List<FieldError> validate(Channel channel, List<TemplateVariant> variants, List<String> attributes) {
        List<FieldError> errors = new ArrayList<>();
        if (variants == null || variants.isEmpty()) {
            errors.add(FieldError.of("variants", "at least one locale variant is required"));
            return errors;
        }
        Set<String> locales = new HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            TemplateVariant v = variants.get(i);
            String field = "variants[" + i + "]";
            if (v == null) {
                errors.add(FieldError.of(field, "must be an object"));
                continue;
            }
            String locale = LanguageTags.canonical(v.locale());
            if (locale == null) {
                errors.add(FieldError.of(field + ".locale", LanguageTags.problem(v.locale())));
            } else if (!locales.add(locale)) {
                errors.add(FieldError.of(field + ".locale", "'" + locale + "' appears twice"));
            }
            for (TemplatePart part : TemplatePart.values()) {
                checkPart(channel, v, part, locale == null ? "en" : locale, attributes, field + "." + part.field(), errors);
            }
        }
        return errors;
    }

    private void checkPart(Channel channel, TemplateVariant v, TemplatePart part, String locale, List<String> attributes,
                           String field, List<FieldError> errors) {
        String source = v.part(part);
        boolean expected = channel == Channel.SMS ? part == TemplatePart.SMS : part != TemplatePart.SMS;
        boolean required = channel == Channel.SMS ? part == TemplatePart.SMS : part == TemplatePart.SUBJECT || part == TemplatePart.HTML;
        if (source == null || source.isBlank()) {
            if (required) {
                errors.add(FieldError.of(field, "is required for " + channel + " templates"));
            }
            return;
        }
        if (!expected) {
            errors.add(FieldError.of(field, "is not used by " + channel + " templates; leave it out"));
            return;
        }
        if (source.length() > settings.maxSourceChars()) {
            errors.add(FieldError.of(field, "must be at most " + settings.maxSourceChars() + " characters"));
            return;
        }
        Template template;
        try {
            template = renderer.compile(source, part);
        } catch (RenderException e) {
            errors.add(FieldError.of(field, e.getMessage()));
            return;
        }
        List<String> problems = renderer.sandboxProblems(template);
        if (!problems.isEmpty()) {
            problems.forEach(p -> errors.add(FieldError.of(field, p)));
            return;
        }
        for (boolean filled : new boolean[]{true, false}) {
            String output;
            try {
                output = renderer.process(template, sample(locale, attributes, filled), LinkTracker.NONE);
            } catch (RenderException e) {
                errors.add(FieldError.of(field, e.getMessage()));
                return;
            }
            if (!filled) {
                continue;
            }
            checkOutput(part, output, field, errors);
        }
    }

    private void checkOutput(TemplatePart part, String output, String field, List<FieldError> errors) {
        switch (part) {
            case SUBJECT -> {
                if (output.strip().isEmpty()) {
                    errors.add(FieldError.of(field, "renders empty"));
                } else if (output.strip().contains("\n") || output.contains("\r")) {
                    errors.add(FieldError.of(field, "must render to a single line"));
                } else if (output.length() > 250) {
                    errors.add(FieldError.of(field, "renders longer than 250 characters"));
                }
            }
            case HTML, TEXT -> {
                if (!output.contains(UNSUBSCRIBE_SENTINEL)) {
                    errors.add(FieldError.of(field, "must contain the unsubscribe link: write ${unsubscribe_url}, or use "
                            + (part == TemplatePart.HTML ? "the layout <#import \"/partials/email-layout.ftlh\" as layout>"
                            : "the footer <#include \"/partials/email-footer.ftl\">")));
                }
            }
            case SMS -> {
                SmsSegments.Result segments = SmsSegments.count(output.strip());
                if (segments.segments() > settings.smsMaxSegments()) {
                    errors.add(FieldError.of(field, "renders to " + segments.segments() + " SMS segments ("
                            + segments.characters() + " " + segments.encoding() + " characters); the limit is "
                            + settings.smsMaxSegments()));
                }
            }
        }
    }

    /** Sample data: filled (long-ish realistic values) or empty, so both sides of conditionals run. */
    public Map<String, Object> sample(String locale, List<String> attributes, boolean filled) {
        boolean spanish = locale.toLowerCase(Locale.ROOT).startsWith("es");
        Map<String, Object> attributeValues = new java.util.HashMap<>();
        attributes.forEach(a -> attributeValues.put(a, filled ? "sample" : ""));
        MessageModel.ContactFields contact = filled
                ? new MessageModel.ContactFields(spanish ? "Guadalupe" : "Alexandria", spanish ? "Hernández" : "Johnson",
                locale, "78701", attributeValues)
                : new MessageModel.ContactFields(null, null, locale, null, attributeValues);
        Clinic clinic = filled ? new Clinic(0L, "sample", "Riverside Spine Center", "+15125550123",
                "100 Main Street, Austin, TX 78701", "78701", "America/Chicago", null, null, java.time.Instant.EPOCH) : null;
        return MessageModel.of(contact, program.current(), clinic, filled ? "Spine health awareness" : "", locale,
                new MessageModel.PersonalLinks(UNSUBSCRIBE_SENTINEL, "https://outreach.invalid/p/preferences-sample",
                        "https://outreach.invalid/book/booking-sample", "https://outreach.invalid/join/confirm/confirm-sample"), attributes);
    }
}
