package health.outreach.template;

import health.outreach.common.LanguageTags;
import io.micronaut.core.annotation.Nullable;

import java.util.Collection;
import java.util.Optional;

/**
 * Picks the variant a person reads: their exact locale, else their language, else the campaign's
 * default locale (then its language), else English, else whatever exists.
 */
public final class LocaleChooser {

    private LocaleChooser() {
    }

    public static String choose(Collection<String> available, @Nullable String contactLocale, @Nullable String campaignDefault) {
        if (available.isEmpty()) {
            throw new IllegalArgumentException("a template has at least one variant");
        }
        return exact(available, contactLocale)
                .or(() -> language(available, contactLocale))
                .or(() -> exact(available, campaignDefault))
                .or(() -> language(available, campaignDefault))
                .or(() -> language(available, "en"))
                .orElse(available.iterator().next());
    }

    private static Optional<String> exact(Collection<String> available, String tag) {
        if (tag == null) {
            return Optional.empty();
        }
        return available.stream().filter(a -> a.equalsIgnoreCase(tag)).findFirst();
    }

    /** A variant in the same language: the bare language ("es") first, then any regional one ("es-MX"). */
    private static Optional<String> language(Collection<String> available, String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        String lang = LanguageTags.language(tag);
        if (lang.isEmpty()) {
            return Optional.empty();
        }
        return exact(available, lang)
                .or(() -> available.stream()
                        .filter(a -> LanguageTags.language(a).equals(lang))
                        .sorted()
                        .findFirst());
    }
}
