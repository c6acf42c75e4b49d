package health.outreach.common;

import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;

/**
 * The one rule for a language tag anywhere in the product (a contact's language, a template
 * variant's, a campaign's default): a well-formed BCP-47 tag whose language is a known ISO 639
 * language, in its canonical spelling ({@code es_mx} becomes {@code es-MX}).
 */
public final class LanguageTags {

    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private LanguageTags() {
    }

    /** The canonical tag, or null when {@code tag} is blank, ill-formed or names no known language. */
    public static String canonical(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag.strip().replace('_', '-')).build();
            return LANGUAGES.contains(locale.getLanguage()) ? locale.toLanguageTag() : null;
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    /**
     * The language alone ({@code es} of {@code es-MX}, {@code es_419} or {@code ES}), for choosing
     * among translations; "" when unknown. "_" is a common slip, so it is read as "-".
     */
    public static String language(String tag) {
        return tag == null ? "" : Locale.forLanguageTag(tag.strip().replace('_', '-')).getLanguage();
    }

    /** The message for a refused tag, the same in every form and API. */
    public static String problem(String tag) {
        String shown = tag == null ? "" : tag.length() > 60 ? tag.substring(0, 57) + "..." : tag;
        return "'" + shown + "' is not a known language tag like en, en-US or es-MX";
    }
}
