package health.outreach.template;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocaleChooserTest {

    @Test
    void exactLocaleThenLanguageThenCampaignDefault() {
        List<String> available = List.of("en", "es", "es-MX");
        assertEquals("es-MX", LocaleChooser.choose(available, "es-MX", "en"));
        assertEquals("es", LocaleChooser.choose(available, "es-US", "en"), "same language, bare tag first");
        assertEquals("es-MX", LocaleChooser.choose(List.of("en", "es-MX"), "es-US", "en"), "same language, any region");
        assertEquals("en", LocaleChooser.choose(available, "vi-VN", "en"), "no Vietnamese: the campaign default");
        assertEquals("es", LocaleChooser.choose(available, "vi", "es-US"), "campaign default by language");
        assertEquals("en", LocaleChooser.choose(available, null, null), "English when nothing else applies");
        assertEquals("fr", LocaleChooser.choose(List.of("fr"), "es", "es"), "the only variant");
        assertEquals("es", LocaleChooser.choose(available, "ES", "en"), "case does not matter");
    }
}
