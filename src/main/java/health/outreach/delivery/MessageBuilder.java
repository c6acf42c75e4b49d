package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.MessageTokens;
import health.outreach.config.OutreachConfig;
import health.outreach.contact.ContactStore;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicRepository;
import health.outreach.program.Program;
import health.outreach.program.ProgramService;
import health.outreach.template.HtmlText;
import health.outreach.template.LinkTracker;
import health.outreach.template.LocaleChooser;
import health.outreach.template.MessageModel;
import health.outreach.template.RenderException;
import health.outreach.template.TemplatePart;
import health.outreach.template.TemplateRenderer;
import health.outreach.template.TemplateStore;
import health.outreach.template.VersionLinks;
import health.outreach.config.TrackingSettings;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders one claimed message: the pinned template version in the recipient's locale, their
 * personal links made from the message's opaque token, every other link turned into a tracked
 * redirect (the token and the link's id in its version: nothing is written per message), and on the
 * first SMS after an opt-in, the opt-out line.
 */
@Singleton
public class MessageBuilder {

    /** A rendered message and the distinct URLs its tracked links lead to, in the order they first appear. */
    public record Built(OutgoingMessage message, List<String> links, boolean carriesOptOutLine) {
    }

    private record VersionInfo(List<String> locales, List<String> attributes) {
    }

    private final TemplateRenderer renderer;
    private final TemplateStore templates;
    private final ContactStore contacts;
    private final ClinicRepository clinics;
    private final ProgramService program;
    private final String baseUrl;
    private final boolean opens;
    private final Map<Long, VersionInfo> versions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> textParts = new ConcurrentHashMap<>();
    /** Clinic rows per id, re-read after a minute so an edited address reaches the next messages. */
    private final Map<Long, CachedClinic> clinicCache = new ConcurrentHashMap<>();

    private record CachedClinic(Clinic clinic, long loadedAt) {
    }

    private static final long CLINIC_TTL_NANOS = 60_000_000_000L;

    private final MessageTokens tokens;
    private final VersionLinks versionLinks;

    public MessageBuilder(TemplateRenderer renderer, TemplateStore templates, ContactStore contacts,
                          ClinicRepository clinics, ProgramService program, OutreachConfig config,
                          TrackingSettings tracking, MessageTokens tokens, VersionLinks versionLinks) {
        this.opens = tracking.opens();
        this.tokens = tokens;
        this.versionLinks = versionLinks;
        this.renderer = renderer;
        this.templates = templates;
        this.contacts = contacts;
        this.clinics = clinics;
        this.program = program;
        this.baseUrl = config.baseUrl();
    }

    public static String trackedUrl(String baseUrl, String token, long linkId) {
        return baseUrl + "/r/" + token + "-" + linkId;
    }

    /** @throws RenderException when the template cannot render for this person (a permanent failure) */
    public Built build(Claimed c) {
        if (c.versionId() == null) {
            throw new RenderException("the message has no template");
        }
        VersionInfo version = versions.computeIfAbsent(c.versionId(), id -> new VersionInfo(templates.locales(id),
                templates.versionById(id).orElseThrow().attributes()));
        Program p = program.current();
        String locale = LocaleChooser.choose(version.locales(), c.locale(),
                c.campaignLocale() == null ? p.defaultLocale() : c.campaignLocale());
        Map<String, Object> attributes = version.attributes().isEmpty() ? Map.of()
                : contacts.attributes(List.of(c.contactId())).getOrDefault(c.contactId(), Map.of());
        String token = tokens.encode(c.id(), MessageTokens.Purpose.ACTION);
        MessageModel.PersonalLinks personal = new MessageModel.PersonalLinks(baseUrl + "/u/" + token,
                baseUrl + "/p/" + token, baseUrl + "/book/" + token, baseUrl + "/join/confirm/" + token);
        Map<String, Object> model = MessageModel.of(new MessageModel.ContactFields(c.firstName(), c.lastName(), c.locale(),
                c.postalCode(), attributes), p, clinic(c.clinicId()), c.campaignName(), locale, personal, version.attributes());
        List<String> links = new ArrayList<>();
        long versionId = c.versionId();
        LinkTracker tracker = url -> {
            // The same URL in the HTML and the text part is one link, so its clicks count together.
            if (!links.contains(url)) {
                links.add(url);
            }
            return trackedUrl(baseUrl, token, versionLinks.idFor(versionId, url));
        };
        if (c.channel() == Channel.EMAIL) {
            String subject = renderer.render(c.versionId(), locale, TemplatePart.SUBJECT, model, tracker).strip();
            String html = withPixel(renderer.render(c.versionId(), locale, TemplatePart.HTML, model, tracker), token);
            String text = hasTextPart(c.versionId(), locale)
                    ? renderer.render(c.versionId(), locale, TemplatePart.TEXT, model, tracker)
                    : HtmlText.toPlainText(html);
            // The headers get their own tokens: one that finds the message and grants nothing (Message-ID),
            // one that only unsubscribes (List-Unsubscribe); the action token stays in the body.
            String unsubscribe = tokens.encode(c.id(), MessageTokens.Purpose.UNSUBSCRIBE);
            return new Built(new OutgoingMessage(c.id(), Channel.EMAIL, c.email(), unsubscribe,
                    tokens.encode(c.id(), MessageTokens.Purpose.MESSAGE_ID), subject, html, text, null,
                    baseUrl + "/u/" + unsubscribe), links, false);
        }
        String sms = renderer.render(c.versionId(), locale, TemplatePart.SMS, model, tracker).strip();
        boolean addLine = c.smsNoticeDue() && !sms.toUpperCase(Locale.ROOT).contains("STOP");
        if (addLine) {
            sms = sms + " " + renderer.renderPartial("partials/sms-optout.ftl", model).strip();
        }
        String unsubscribe = tokens.encode(c.id(), MessageTokens.Purpose.UNSUBSCRIBE);
        return new Built(new OutgoingMessage(c.id(), Channel.SMS, c.phone(), unsubscribe, null, null, null, null, sms,
                baseUrl + "/u/" + unsubscribe), links, c.smsNoticeDue());
    }

    /** Template versions never change, so whether one has its own text part is read once per version and locale. */
    private boolean hasTextPart(long versionId, String locale) {
        return textParts.computeIfAbsent(versionId + ":" + locale, k -> templates.variantPart(versionId, locale, TemplatePart.TEXT)
                .filter(t -> !t.isBlank()).isPresent());
    }

    /** Open tracking is off by default (privacy mode); when on, a 1×1 image with empty alt text. */
    private String withPixel(String html, String token) {
        if (!opens) {
            return html;
        }
        String pixel = "<img src=\"" + baseUrl + "/o/" + token + ".gif\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block\">";
        int end = html.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
        return end < 0 ? html + pixel : html.substring(0, end) + pixel + html.substring(end);
    }

    private Clinic clinic(Long id) {
        if (id == null) {
            return null;
        }
        long now = System.nanoTime();
        CachedClinic cached = clinicCache.get(id);
        if (cached == null || now - cached.loadedAt() > CLINIC_TTL_NANOS) {
            cached = new CachedClinic(clinics.findById(id).orElse(null), now);
            clinicCache.put(id, cached);
        }
        return cached.clinic();
    }
}
