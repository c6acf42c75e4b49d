package health.outreach.template;

import health.outreach.common.LanguageTags;
import health.outreach.common.Channel;
import health.outreach.common.ProblemException;
import health.outreach.config.OutreachConfig;
import health.outreach.contact.ContactService;
import health.outreach.contact.ContactView;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicService;
import health.outreach.program.ProgramService;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code POST /api/v1/templates/{id}/preview}: renders a version for a real contact (their locale,
 * name, clinic) or for sample data in a locale, and reports what a coordinator must know before
 * sending: SMS encoding and segments, reading grade and the sentences that push it up.
 */
@Singleton
public class TemplatePreview {

    private final TemplateStore store;
    private final TemplateRenderer renderer;
    private final TemplateValidator validator;
    private final TemplateSettings settings;
    private final ContactService contacts;
    private final ClinicService clinics;
    private final ProgramService program;
    private final OutreachConfig config;

    public TemplatePreview(TemplateStore store, TemplateRenderer renderer, TemplateValidator validator,
                           TemplateSettings settings, ContactService contacts, ClinicService clinics,
                           ProgramService program, OutreachConfig config) {
        this.store = store;
        this.renderer = renderer;
        this.validator = validator;
        this.settings = settings;
        this.contacts = contacts;
        this.clinics = clinics;
        this.program = program;
        this.config = config;
    }

    public TemplateViews.Preview preview(long templateId, TemplateViews.PreviewRequest request) {
        TemplateStore.TemplateRow t = store.find(templateId).orElseThrow(() -> ProblemException.notFound("Template", templateId));
        int v = request.version() == null ? t.currentVersion() : request.version();
        TemplateStore.VersionRow version = store.version(templateId, v)
                .orElseThrow(() -> ProblemException.notFound("Template version", templateId + "/" + v));
        List<String> locales = store.variants(version.id()).stream().map(TemplateVariant::locale).toList();

        ContactView contact = request.contactId() == null ? null : contacts.get(request.contactId())
                .filter(c -> !c.erased())
                .orElseThrow(() -> ProblemException.notFound("Contact", request.contactId()));
        String wanted = contact != null ? contact.locale() : request.locale();
        if (wanted != null && LanguageTags.canonical(wanted) == null) {
            throw ProblemException.invalid("locale", "must be a BCP-47 language tag like en or es-MX");
        }
        String locale = LocaleChooser.choose(locales, wanted, program.current().defaultLocale());
        var model = contact == null ? validator.sample(locale, version.attributes(), true) : modelFor(contact, locale, version);

        List<String> links = new ArrayList<>();
        LinkTracker tracker = url -> {
            links.add(url);
            return url;
        };
        List<String> warnings = new ArrayList<>();
        if (wanted != null && !locale.equalsIgnoreCase(wanted)) {
            warnings.add("No " + wanted + " variant; showing " + locale);
        }
        try {
            return t.channel() == Channel.SMS
                    ? sms(t, version, locale, model, tracker, links, warnings)
                    : email(t, version, locale, model, tracker, links, warnings);
        } catch (RenderException e) {
            throw ProblemException.invalid("template", e.getMessage());
        }
    }

    private TemplateViews.Preview email(TemplateStore.TemplateRow t, TemplateStore.VersionRow version, String locale,
                                        java.util.Map<String, Object> model, LinkTracker tracker, List<String> links,
                                        List<String> warnings) {
        String subject = renderer.render(version.id(), locale, TemplatePart.SUBJECT, model, tracker).strip();
        String html = renderer.render(version.id(), locale, TemplatePart.HTML, model, tracker);
        boolean hasText = store.variantPart(version.id(), locale, TemplatePart.TEXT).filter(s -> !s.isBlank()).isPresent();
        String text = hasText ? renderer.render(version.id(), locale, TemplatePart.TEXT, model, tracker) : HtmlText.toPlainText(html);
        if (!hasText) {
            warnings.add("No text part: recipients whose mail app shows plain text get this version derived from the HTML");
        }
        Readability.Result grade = reading(text, locale, warnings);
        return new TemplateViews.Preview(t.id(), version.version(), locale, subject, html, text, null, null, null, null,
                grade.grade(), grade.formula(), links, warnings);
    }

    private TemplateViews.Preview sms(TemplateStore.TemplateRow t, TemplateStore.VersionRow version, String locale,
                                      java.util.Map<String, Object> model, LinkTracker tracker, List<String> links,
                                      List<String> warnings) {
        String sms = renderer.render(version.id(), locale, TemplatePart.SMS, model, tracker).strip();
        SmsSegments.Result segments = SmsSegments.count(sms);
        if (segments.encoding() == SmsSegments.Encoding.UCS2) {
            String replacements = segments.suggestions().entrySet().stream()
                    .map(e -> "'" + e.getKey() + "' → '" + e.getValue() + "'").collect(Collectors.joining(", "));
            warnings.add("These characters make the whole text UCS-2 (70 characters per segment instead of 160): "
                    + String.join(" ", segments.nonGsm()) + (replacements.isEmpty() ? "" : "; GSM replacements: " + replacements));
        }
        if (segments.segments() > 1) {
            warnings.add("Sends as " + segments.segments() + " segments (each billed)");
        }
        Readability.Result grade = reading(sms, locale, warnings);
        return new TemplateViews.Preview(t.id(), version.version(), locale, null, null, null, sms,
                segments.encoding().name(), segments.segments(), segments.characters(), grade.grade(), grade.formula(),
                links, warnings);
    }

    private Readability.Result reading(String text, String locale, List<String> warnings) {
        Readability.Result grade = Readability.grade(text, locale, settings.readingGradeWarning());
        if (grade.grade() > settings.readingGradeWarning()) {
            String hardest = grade.hardSentences().stream().limit(3)
                    .map(s -> "\"" + s.text() + "\" (grade " + String.format(Locale.ROOT, "%.1f", s.grade()) + ")")
                    .collect(Collectors.joining("; "));
            warnings.add(String.format(Locale.ROOT, "Reading grade %.1f (%s) is above %.0f. Hardest sentences: %s",
                    grade.grade(), grade.formula(), settings.readingGradeWarning(), hardest));
        }
        return grade;
    }

    /** The unsubscribe link a preview (or a test send) carries: one that unsubscribes nobody. */
    public String previewUnsubscribeUrl() {
        return config.baseUrl() + "/u/preview";
    }

    private java.util.Map<String, Object> modelFor(ContactView c, String locale, TemplateStore.VersionRow version) {
        Clinic clinic = c.clinic() == null ? null : clinics.findByCode(c.clinic()).orElse(null);
        String base = config.baseUrl();
        return MessageModel.of(new MessageModel.ContactFields(c.firstName(), c.lastName(), c.locale(), c.postalCode(),
                        c.attributes()), program.current(), clinic, "Preview", locale,
                new MessageModel.PersonalLinks(base + "/u/preview", base + "/p/preview", base + "/book/preview", base + "/join/confirm/preview"),
                version.attributes());
    }
}
