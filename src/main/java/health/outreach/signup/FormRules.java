package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.tracking.SmsKeywords;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a form before it is saved and puts it in canonical shape; every problem names its field
 * (the API's names, which the admin page uses for its inputs too). Pure.
 */
final class FormRules {

    /** A checked form, ready to store. */
    record Valid(String key, List<String> fields, List<Channel> channels, @Nullable Long campaignId,
                 List<String> partnerOrigins, Map<String, FormText> texts, Map<String, String> keywords) {
    }

    record Result(Valid form, List<FieldError> errors) {
    }

    private static final Pattern KEY = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9]{2,20}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n]]");
    /** Path words under /join that are routes, not forms. */
    private static final Set<String> RESERVED = Set.of("confirm");
    private static final int MAX_ORIGINS = 20;

    private FormRules() {
    }

    static Result check(FormInput in) {
        List<FieldError> errors = new ArrayList<>();
        String key = in.key() == null ? "" : in.key().strip().toLowerCase(Locale.ROOT);
        if (!KEY.matcher(key).matches() || RESERVED.contains(key)) {
            errors.add(FieldError.of("key", "1 to 40 lower-case letters, digits and hyphens (not starting or ending with one)"
                    + (RESERVED.contains(key) ? "; '" + key + "' is reserved" : "")));
        }
        List<String> fields = new ArrayList<>(new LinkedHashSet<>(in.fields() == null ? List.of() : in.fields()));
        for (String f : fields) {
            if (!SignupForm.FIELDS.contains(f)) {
                errors.add(FieldError.of("fields", "'" + f + "' is not a field; choose from " + String.join(", ", SignupForm.FIELDS)));
            }
        }
        List<Channel> channels = channels(in.channels(), errors);
        if (channels.contains(Channel.EMAIL) && !fields.contains("email")) {
            errors.add(FieldError.of("fields", "a form offering email must ask for the email address"));
        }
        if (channels.contains(Channel.SMS) && !fields.contains("phone")) {
            errors.add(FieldError.of("fields", "a form offering text messages must ask for the phone number"));
        }
        Map<String, FormText> texts = texts(in.texts(), channels, errors);
        List<String> origins = origins(in.partnerOrigins(), errors);
        Map<String, String> keywords = keywords(in.keywords(), channels, errors);
        return new Result(new Valid(key, fields, channels, in.campaignId(), origins, texts, keywords), errors);
    }

    private static List<Channel> channels(List<String> raw, List<FieldError> errors) {
        List<Channel> channels = new ArrayList<>();
        for (String c : raw == null ? List.<String>of() : raw) {
            try {
                Channel channel = Channel.valueOf(c.strip().toUpperCase(Locale.ROOT));
                if (!channels.contains(channel)) {
                    channels.add(channel);
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                errors.add(FieldError.of("channels", "'" + c + "' is not a channel; use EMAIL or SMS"));
            }
        }
        if (channels.isEmpty() && errors.stream().noneMatch(e -> "channels".equals(e.field()))) {
            errors.add(FieldError.of("channels", "offer at least one channel: EMAIL or SMS"));
        }
        return channels;
    }

    private static Map<String, FormText> texts(Map<String, FormText> raw, List<Channel> channels, List<FieldError> errors) {
        Map<String, FormText> texts = new LinkedHashMap<>();
        Map<String, FormText> given = raw == null ? Map.of() : raw;
        for (String language : given.keySet()) {
            if (!SignupForm.LANGUAGES.contains(language)) {
                errors.add(FieldError.of("texts." + language, "languages are en and es"));
            }
        }
        for (String language : SignupForm.LANGUAGES) {
            FormText t = given.get(language);
            String at = "texts." + language;
            String title = text(t == null ? null : t.title(), at + ".title", 200, true, errors);
            String intro = text(t == null ? null : t.intro(), at + ".intro", 2000, false, errors);
            String email = channels.contains(Channel.EMAIL)
                    ? text(t == null ? null : t.emailWording(), at + ".emailWording", 2000, true, errors) : null;
            String sms = channels.contains(Channel.SMS)
                    ? text(t == null ? null : t.smsWording(), at + ".smsWording", 2000, true, errors) : null;
            texts.put(language, new FormText(title, intro, email, sms));
        }
        return texts;
    }

    private static String text(String raw, String field, int max, boolean required, List<FieldError> errors) {
        String value = raw == null ? "" : raw.replace("\r\n", "\n").strip();
        if (value.isEmpty()) {
            if (required) {
                errors.add(FieldError.of(field, "is required"));
            }
            return null;
        }
        if (value.length() > max) {
            errors.add(FieldError.of(field, "must be at most " + max + " characters"));
        } else if (CONTROL.matcher(value).find()) {
            errors.add(FieldError.of(field, "must not contain control characters"));
        }
        return value;
    }

    /**
     * Origins go into a Content-Security-Policy header: only scheme, host and port survive, https
     * (http for a local test page), no wildcards, paths or anything that could end the directive.
     */
    private static List<String> origins(List<String> raw, List<FieldError> errors) {
        List<String> origins = new ArrayList<>();
        List<String> given = raw == null ? List.of() : raw.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (given.size() > MAX_ORIGINS) {
            errors.add(FieldError.of("partnerOrigins", "at most " + MAX_ORIGINS + " partner sites"));
            return origins;
        }
        for (int i = 0; i < given.size(); i++) {
            String origin = origin(given.get(i));
            if (origin == null) {
                errors.add(FieldError.of("partnerOrigins[" + i + "]", "'" + abbreviate(given.get(i))
                        + "' is not a site origin like https://partner.example.org"));
            } else if (!origins.contains(origin)) {
                origins.add(origin);
            }
        }
        return origins;
    }

    static String origin(String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            boolean local = host.equals("localhost") || host.equals("127.0.0.1");
            if (!(scheme.equals("https") || (scheme.equals("http") && local)) || host.isEmpty() || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || !host.matches("[a-z0-9.-]+")) {
                return null;
            }
            return scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Map<String, String> keywords(Map<String, String> raw, List<Channel> channels, List<FieldError> errors) {
        Map<String, String> keywords = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return keywords;
        }
        if (!channels.contains(Channel.SMS)) {
            errors.add(FieldError.of("keywords", "keywords start an opt-in by text: offer SMS on this form first"));
            return keywords;
        }
        raw.forEach((word, language) -> {
            String keyword = word == null ? "" : word.strip().toUpperCase(Locale.ROOT);
            String lang = language == null ? "" : language.strip().toLowerCase(Locale.ROOT);
            String field = "keywords." + (SignupForm.LANGUAGES.contains(lang) ? lang : abbreviate(keyword));
            if (!SignupForm.LANGUAGES.contains(lang)) {
                errors.add(FieldError.of(field, "the language of '" + abbreviate(keyword) + "' must be en or es"));
            } else if (!KEYWORD.matcher(keyword).matches()) {
                errors.add(FieldError.of(field, "'" + abbreviate(keyword) + "' must be 2 to 20 letters or digits, one word"));
            } else if (SmsKeywords.classify(keyword) != SmsKeywords.Intent.REPLY) {
                // STOP, HELP and START (YES included) mean what they always mean: a keyword cannot take them over.
                errors.add(FieldError.of(field, "'" + keyword + "' is an opt-out, help or opt-in word ("
                        + SmsKeywords.classify(keyword) + "); choose another"));
            } else {
                keywords.put(keyword, lang);
            }
        });
        return keywords;
    }

    private static String abbreviate(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 57) + "..." : clean;
    }
}
