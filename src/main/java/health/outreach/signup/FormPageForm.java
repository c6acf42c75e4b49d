package health.outreach.signup;

import health.outreach.web.Forms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin page's form for a sign-up form: its inputs carry the API's field names
 * ({@code texts.es.smsWording}), so a problem from the service lands next to its input. Keywords
 * are typed per language, separated by commas; partner sites one per line.
 */
final class FormPageForm {

    private FormPageForm() {
    }

    static FormInput parse(Map<String, List<String>> form) {
        Map<String, FormText> texts = new LinkedHashMap<>();
        Map<String, String> keywords = new LinkedHashMap<>();
        for (String language : SignupForm.LANGUAGES) {
            String at = "texts." + language + ".";
            texts.put(language, new FormText(Forms.first(form, at + "title"), Forms.first(form, at + "intro"),
                    Forms.first(form, at + "emailWording"), Forms.first(form, at + "smsWording")));
            String typed = Forms.first(form, "keywords." + language);
            if (typed != null) {
                Arrays.stream(typed.split("[,\\s]+")).map(String::strip).filter(k -> !k.isEmpty())
                        .forEach(k -> keywords.put(k, language));
            }
        }
        String origins = Forms.first(form, "partnerOrigins");
        Long campaign = null;
        try {
            String c = Forms.first(form, "campaignId");
            campaign = c == null || c.isBlank() ? null : Long.valueOf(c.strip());
        } catch (NumberFormatException ignored) {
            // not one of the offered campaigns: saved without one
        }
        return new FormInput(Forms.first(form, "key"), form.getOrDefault("fields", List.of()),
                form.getOrDefault("channels", List.of()), campaign,
                origins == null ? List.of() : Arrays.stream(origins.split("\\R")).toList(), texts, keywords);
    }

    /** What the page's inputs show: the input as typed, or a stored form. */
    static Map<String, Object> values(FormInput in) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("key", in.key() == null ? "" : in.key());
        v.put("fields", in.fields() == null ? List.of() : in.fields());
        v.put("channels", in.channels() == null ? List.of() : in.channels());
        v.put("campaignId", in.campaignId() == null ? "" : in.campaignId().toString());
        v.put("partnerOrigins", in.partnerOrigins() == null ? "" : String.join("\n", in.partnerOrigins()));
        Map<String, Object> texts = new LinkedHashMap<>();
        for (String language : SignupForm.LANGUAGES) {
            FormText t = in.texts() == null ? null : in.texts().get(language);
            texts.put(language, Map.of("title", orEmpty(t == null ? null : t.title()), "intro", orEmpty(t == null ? null : t.intro()),
                    "emailWording", orEmpty(t == null ? null : t.emailWording()), "smsWording", orEmpty(t == null ? null : t.smsWording())));
            List<String> words = new ArrayList<>();
            if (in.keywords() != null) {
                in.keywords().forEach((k, l) -> {
                    if (language.equals(l)) {
                        words.add(k);
                    }
                });
            }
            v.put("keywords_" + language, String.join(", ", words));
        }
        v.put("texts", texts);
        return v;
    }

    static FormInput of(SignupForm f) {
        return new FormInput(f.key(), f.fields(), f.channels().stream().map(Enum::name).toList(), f.campaignId(),
                f.partnerOrigins(), f.texts(), f.keywords());
    }

    /** A new form: every field asked, both channels, example words a coordinator edits. */
    static FormInput blank() {
        return new FormInput("", SignupForm.FIELDS, List.of("EMAIL", "SMS"), null, List.of(), Map.of(
                "en", new FormText("Get spine health tips", null,
                        "Yes, email me spine health tips from the program, up to 4 emails a month. I can unsubscribe at any time.",
                        "Yes, text me spine health tips from the program, up to 4 msgs/mo. Msg & data rates may apply. "
                                + "Reply HELP for help, STOP to cancel. Consent is not a condition of any purchase or service."),
                "es", new FormText("Reciba consejos para la salud de la columna", null,
                        "Sí, envíenme por correo consejos para la salud de la columna, hasta 4 correos al mes. Puedo cancelar cuando quiera.",
                        "Sí, envíenme por mensaje de texto consejos para la salud de la columna, hasta 4 mensajes al mes. "
                                + "Pueden aplicarse tarifas de mensajes y datos. Responda HELP para ayuda, STOP para cancelar. "
                                + "Dar su consentimiento no es condición para ningún servicio.")), Map.of());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
