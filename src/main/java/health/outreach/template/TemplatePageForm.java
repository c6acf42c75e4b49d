package health.outreach.template;

import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.web.Forms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template form of the admin UI, both ways: what the page shows (strings, so a refused form
 * comes back exactly as typed) and the {@link TemplateViews.Form} the service takes. Locale
 * variants are rows named {@code variant.N.*}. The channel is chosen once, when the template is
 * created; an edit keeps the saved one whatever the body says.
 */
final class TemplatePageForm {

    /** As many variants as the API accepts ({@link TemplateViews.Form}). */
    static final int MAX_VARIANTS = 30;
    private static final List<String> FIELDS = List.of("name", "channel", "purpose", "description", "attributes");
    private static final List<String> VARIANT_FIELDS = List.of("locale", "subject", "html", "text", "sms");

    private TemplatePageForm() {
    }

    /** A parsed form: the values to show again, the service's form, and what could not be read. */
    record Parsed(Map<String, Object> values, TemplateViews.Form form, List<FieldError> errors) {
    }

    /** Empty values for a new template, with one English variant ready to fill in. */
    /**
     * A new template, started from the starter layout: the program's email layout (its footer
     * carries the postal address, preferences and unsubscribe links) or an SMS ending in the opt-out
     * line, with the booking link in place. The coordinator writes the words.
     */
    static Map<String, Object> blank(Channel channel) {
        Map<String, Object> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, ""));
        v.put("channel", channel.name());
        Map<String, String> english = blankVariant();
        english.put("locale", "en");
        if (channel == Channel.EMAIL) {
            english.put("subject", "Your subject");
            english.put("html", STARTER_HTML);
            english.put("text", STARTER_TEXT);
        } else {
            english.put("sms", STARTER_SMS);
        }
        v.put("variants", new ArrayList<>(List.of(english)));
        return v;
    }

    /** A copy of a template's current version as a new, unsaved template. */
    static Map<String, Object> copyOf(TemplateViews.Detail t) {
        Map<String, Object> v = of(t);
        v.put("name", ("Copy of " + t.name()).substring(0, Math.min(200, 8 + t.name().length())));
        return v;
    }

    static final String STARTER_HTML = """
            <#import "/partials/email-layout.ftlh" as layout>
            <@layout.page title="Your headline" preheader="One line that shows after the subject in the inbox.">
            <h1 style="margin:0 0 16px;font-family:Arial,Helvetica,sans-serif;font-size:28px;line-height:1.25;color:#0b3d54;">Your headline</h1>
            <p style="margin:0 0 16px;"><#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if></p>
            <p style="margin:0 0 16px;">Say one thing, in short sentences.</p>
            <@layout.button href=booking_url label="Book a consultation"/>
            </@layout.page>
            """;
    static final String STARTER_TEXT = """
            <#if contact.firstName?has_content>Hi ${contact.firstName},<#else>Hi,</#if>

            Say one thing, in short sentences.

            Book a consultation: ${booking_url}

            <#include "/partials/email-footer.ftl">
            """;
    static final String STARTER_SMS = "${program.name}: Say one thing. Book a visit: ${booking_url} <#include \"/partials/sms-optout.ftl\">";

    static Map<String, String> blankVariant() {
        Map<String, String> row = new LinkedHashMap<>();
        VARIANT_FIELDS.forEach(f -> row.put(f, ""));
        return row;
    }

    /** The form as it shows a saved version (the start of the next one). */
    static Map<String, Object> of(TemplateViews.Detail t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", t.name());
        v.put("channel", t.channel().name());
        v.put("purpose", orEmpty(t.purpose()));
        v.put("description", orEmpty(t.description()));
        v.put("attributes", String.join(", ", t.attributes()));
        List<Map<String, String>> rows = new ArrayList<>();
        for (TemplateVariant variant : t.variants()) {
            Map<String, String> row = blankVariant();
            row.put("locale", variant.locale());
            row.put("subject", orEmpty(variant.subject()));
            row.put("html", orEmpty(variant.html()));
            row.put("text", orEmpty(variant.text()));
            row.put("sms", orEmpty(variant.sms()));
            rows.add(row);
        }
        v.put("variants", rows);
        return v;
    }

    /**
     * Reads a posted form. {@code savedChannel} is the template's channel on an edit (null on
     * create); rows marked for removal, and rows left entirely blank, are dropped; {@code addVariant}
     * appends a blank row.
     */
    static Parsed parse(Map<String, List<String>> form, Channel savedChannel, boolean addVariant) {
        Map<String, Object> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, line(form, f)));
        v.put("description", body(form, "description").strip());
        List<FieldError> errors = new ArrayList<>();
        Channel channel = savedChannel != null ? savedChannel : channel((String) v.get("channel"), errors);
        v.put("channel", channel == null ? v.get("channel") : channel.name());

        List<Map<String, String>> rows = new ArrayList<>();
        List<TemplateVariant> variants = new ArrayList<>();
        for (int i = 0; i < MAX_VARIANTS; i++) {
            String prefix = "variant." + i + ".";
            if (!form.containsKey(prefix + "locale") || "yes".equals(Forms.first(form, prefix + "remove"))) {
                continue;
            }
            Map<String, String> row = blankVariant();
            row.put("locale", line(form, prefix + "locale"));
            row.put("subject", line(form, prefix + "subject"));
            row.put("html", body(form, prefix + "html"));
            row.put("text", body(form, prefix + "text"));
            row.put("sms", body(form, prefix + "sms"));
            // A language added with "Add a language" and never filled in is not a mistake to report.
            if (row.values().stream().allMatch(String::isBlank)) {
                continue;
            }
            rows.add(row);
            // Only the parts of the template's channel: the form shows no others, so none can be typed.
            boolean sms = channel == Channel.SMS;
            variants.add(new TemplateVariant(row.get("locale"), sms ? null : row.get("subject"), sms ? null : row.get("html"),
                    sms ? null : row.get("text"), sms ? row.get("sms") : null));
        }
        if (addVariant && rows.size() < MAX_VARIANTS) {
            rows.add(blankVariant());
        }
        v.put("variants", rows);
        TemplateViews.Form parsed = new TemplateViews.Form((String) v.get("name"), channel, blankToNull(v.get("purpose")),
                blankToNull(v.get("description")), attributes((String) v.get("attributes")), variants);
        return new Parsed(v, parsed, errors);
    }

    private static Channel channel(String value, List<FieldError> errors) {
        try {
            return Channel.valueOf(value);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("channel", "choose email or SMS"));
            return null;
        }
    }

    /** "a, b,,c " is [a, b, c]; the service reports names that are not attribute names. */
    private static List<String> attributes(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String line(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.strip();
    }

    /**
     * A textarea as typed, except that browsers send its line breaks as CRLF: left in, every
     * {@code \r} would be one more SMS character and a stray byte in the text part.
     */
    private static String body(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(Object value) {
        return value == null || ((String) value).isEmpty() ? null : (String) value;
    }
}
