package health.outreach.tracking;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an inbound text asks for. Opt-out words (CTIA and the carriers' list) and plain-language
 * revocations in English and Spanish (FCC 24-24: any reasonable way of saying stop counts), opt-in
 * words, and help. Anything else is just a reply. Pure.
 */
public final class SmsKeywords {

    public enum Intent { OPT_OUT, OPT_IN, HELP, REPLY }

    private static final Set<String> STOP = Set.of("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
            "REVOKE", "OPT OUT", "OPTOUT", "OPT-OUT", "PARAR", "ALTO", "BAJA", "CANCELAR");
    private static final Set<String> START = Set.of("START", "UNSTOP", "YES", "SUBSCRIBE", "SI", "COMENZAR");
    private static final Set<String> HELP = Set.of("HELP", "INFO", "AYUDA");

    /**
     * Plain-language revocations. Verb and object must be close together ("stop texting me", "no me
     * manden mensajes"), so a reply that merely mentions a message, a cancelled appointment or
     * "para" as a preposition stays a reply: a false opt-out silently costs a patient their reminders.
     */
    private static final String NEAR = "( [a-z]+){0,2} ";
    private static final List<Pattern> REVOCATIONS = List.of(
            Pattern.compile("\\b(stop|quit|cease)" + NEAR + "(text|texting|texts|message|messages|messaging|sending|contacting)\\b"),
            Pattern.compile("\\bno more" + NEAR + "(text|texts|message|messages|sms)\\b"),
            Pattern.compile("\\b(dont|do not)( ever)? (text|message|contact|send|sms)\\b"),
            Pattern.compile("\\b(unsubscribe me|remove me|take me off|remove my number|take my number off)\\b"),
            Pattern.compile("\\bleave me alone\\b"),
            Pattern.compile("\\b(para|pare|paren|deja|deje|dejen)( de)? (enviar|enviarme|mandar|mandarme|escribir|escribirme)\\b"),
            Pattern.compile("\\b(para|pare|paren)( con)? (los |las |de )?(mensajes|textos)\\b"),
            Pattern.compile("\\bno mas" + NEAR + "(mensajes?|textos?)\\b"),
            Pattern.compile("\\bya no (quiero|deseo)( recibir)? (mensajes|textos)\\b"),
            Pattern.compile("\\bya no (me )?(envien|envies|manden|mandes|escriban)\\b"),
            Pattern.compile("\\b(no me|dejar de|dejen de|deje de) (envien|envies|manden|mandes|escriban|enviar|mandar|escribir)\\b"),
            Pattern.compile("\\b(darme de baja|dar de baja|cancelar (la |mi )?suscripcion)\\b"));

    private SmsKeywords() {
    }

    public static Intent classify(String body) {
        if (body == null) {
            return Intent.REPLY;
        }
        String folded = fold(body.strip().toUpperCase(Locale.ROOT)).replaceAll("[^A-Z0-9 -]", "").replaceAll("\\s+", " ").strip();
        if (STOP.contains(folded)) {
            return Intent.OPT_OUT;
        }
        if (START.contains(folded)) {
            return Intent.OPT_IN;
        }
        if (HELP.contains(folded)) {
            return Intent.HELP;
        }
        String sentence = fold(body.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9 ]", " ").replaceAll("\\s+", " ").strip();
        if (sentence.length() <= 160) {
            for (Pattern p : REVOCATIONS) {
                if (p.matcher(sentence).find()) {
                    return Intent.OPT_OUT;
                }
            }
        }
        return Intent.REPLY;
    }

    /** Accents and apostrophes away: "no más" → "no mas", "don't" → "dont". */
    private static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replace("'", "").replace("’", "");
    }
}
