package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.contact.ContactNormalizer;
import health.outreach.tracking.Preferences;
import health.outreach.web.Forms;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a posted sign-up form: the fields the form asks, the channels ticked, each problem as a
 * message key in the person's language, tied to its field. Pure but for the shared address
 * normaliser, so an address accepted here is one the contact accepts.
 */
final class JoinInput {

    /** Errors map a field to the key of its message in {@code views/messages_*.properties}. */
    record Parsed(Submission submission, Map<String, String> errors, Map<String, Object> values) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    private static final Pattern POSTAL = Pattern.compile("[A-Z0-9][A-Z0-9 -]{1,9}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

    private JoinInput() {
    }

    static Parsed parse(SignupForm form, String language, Map<String, List<String>> body, ContactNormalizer normalizer,
                        String pageUrl, String clientHash) {
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        String first = text(body, "firstName", form.asks("name"), errors, values);
        String last = text(body, "lastName", form.asks("name"), errors, values);
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (Channel c : form.channels()) {
            if ("yes".equals(Forms.first(body, "channel." + c.name()))) {
                channels.add(c);
            }
        }
        values.put("channels", channels.stream().map(Channel::name).toList());
        if (channels.isEmpty()) {
            errors.put("channels", "signup.error.channel");
        }
        String email = address(body, "email", form.asks("email"), channels.contains(Channel.EMAIL), normalizer, errors, values);
        String phone = address(body, "phone", form.asks("phone"), channels.contains(Channel.SMS), normalizer, errors, values);
        String postal = null;
        if (form.asks("postalCode")) {
            String raw = trimmed(body, "postalCode");
            values.put("postalCode", raw);
            if (!raw.isEmpty()) {
                postal = raw.toUpperCase(Locale.ROOT);
                if (!POSTAL.matcher(postal).matches()) {
                    errors.put("postalCode", "signup.error.postal");
                }
            }
        }
        String locale = language;
        if (form.asks("language")) {
            String chosen = trimmed(body, "language");
            locale = SignupForm.LANGUAGES.contains(chosen) ? chosen : language;
            values.put("language", locale);
        }
        Set<String> topics = new LinkedHashSet<>();
        if (form.asks("topics")) {
            topics.addAll(body.getOrDefault("topics", List.of()));
            topics.retainAll(Preferences.TOPICS);
            values.put("topics", new ArrayList<>(topics));
        }
        int version = Forms.integer(body, "v", form.version());
        Submission s = new Submission(form.key(), version, language, first, last, email, phone, postal, locale, topics,
                channels, pageUrl, clientHash);
        return new Parsed(s, errors, values);
    }

    private static String text(Map<String, List<String>> body, String field, boolean asked, Map<String, String> errors,
                               Map<String, Object> values) {
        if (!asked) {
            return null;
        }
        String value = trimmed(body, field);
        values.put(field, value);
        if (value.length() > 100 || CONTROL.matcher(value).find()) {
            errors.put(field, "signup.error.name");
            return null;
        }
        return value.isEmpty() ? null : value;
    }

    private static String address(Map<String, List<String>> body, String field, boolean asked, boolean required,
                                  ContactNormalizer normalizer, Map<String, String> errors, Map<String, Object> values) {
        if (!asked) {
            return null;
        }
        String raw = trimmed(body, field);
        values.put(field, raw.length() > 320 ? raw.substring(0, 320) : raw);
        if (raw.isEmpty()) {
            if (required) {
                errors.put(field, "signup.error." + field + ".required");
            }
            return null;
        }
        String normalized = field.equals("email") ? normalizer.normalizeEmail(raw) : normalizer.normalizePhone(raw);
        if (normalized == null) {
            errors.put(field, "signup.error." + field + ".invalid");
        }
        return normalized;
    }

    private static String trimmed(Map<String, List<String>> body, String field) {
        String value = Forms.first(body, field);
        return value == null ? "" : value.strip();
    }
}
