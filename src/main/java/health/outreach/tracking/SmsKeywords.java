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

    private static final List<Pattern> REVOCATIONS = List.of(
            Pattern.compile("\\b(stop|quit|cease)\\b.*\\b(text|texting|texts|message|messages|messaging|sending|contacting)\\b"),
            Pattern.compile("\\bno more\\b.*\\b(text|texts|message|messages|sms)\\b"),
            Pattern.compile("\\b(dont|do not)\\b.*\\b(text|message|contact|send)\\b"),
            Pattern.compile("\\b(unsubscribe|remove|take)\\b.*\\b(me|my number)\\b"),
            Pattern.compile("\\bleave me alone\\b"),
            Pattern.compile("\\b(para|pare|deja|deje|dejen|paren)\\b.*\\b(enviar|enviarme|mandar|mandarme|escribir|escribirme|mensajes?|textos?)\\b"),
            Pattern.compile("\\bno mas\\b.*\\b(mensajes?|textos?)\\b"),
            Pattern.compile("\\bya no\\b.*\\b(quiero|envien|envies|manden|mandes|mensajes?)\\b"),
            Pattern.compile("\\b(no me|dejar de)\\b.*\\b(envien|envies|manden|mandes|escriban|enviar|mandar)\\b"),
            Pattern.compile("\\b(darme de baja|dar de baja|cancelar)\\b"));

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
