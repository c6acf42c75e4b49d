package health.outreach.tracking;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an inbound text asks for. FCC 24-24: the standard words (STOP, QUIT, END, REVOKE, OPT OUT,
 * CANCEL, UNSUBSCRIBE) always revoke consent, and so does any wording a reasonable person would read
 * as "stop texting me", in English or Spanish, however it is spelt. Opt-in and help words are
 * recognised too. A text that is about our messages or about stopping, but is not clearly a
 * revocation ("why do I get these?", "how do I stop?"), is {@link Intent#AMBIGUOUS}: it keeps consent
 * as it is and earns one reply saying how to stop. Anything else is an ordinary reply. Pure.
 *
 * <p>The text is first normalised (accents, case, emoji, punctuation, stretched letters and common
 * misspellings away), then cut into clauses at punctuation, so "No, stop" revokes while "Don't stop
 * sending" does not; each clause is checked against a few phrase patterns. Examples of every rule
 * are in the SMS opt-out corpus of the tests.
 */
public final class SmsKeywords {

    /** {@link #REPLY} is everything else: kept as a reply, nothing changes. */
    public enum Intent { OPT_OUT, OPT_IN, HELP, AMBIGUOUS, REPLY }

    private static final Set<String> START = Set.of("start", "unstop", "yes", "subscribe", "si", "comenzar");
    private static final Set<String> HELP = Set.of("help", "info", "ayuda");

    /** Stop-sign emoji mean the word. */
    private static final Pattern STOP_EMOJI = Pattern.compile("[\\x{1F6D1}\\x{26D4}\\x{1F6AB}]");
    /** Apostrophes (and the look-alikes phones type) join their word: "don't" reads "dont". */
    private static final Pattern APOSTROPHES = Pattern.compile("['’‘`´ʼ]");
    /** Clause boundaries. */
    private static final Pattern CLAUSES = Pattern.compile("[.!?;:,\\n\\r¿¡]+");
    /** A letter typed three times or more is one letter: "stoooop", "plsss", "nooo". */
    private static final Pattern STRETCHED = Pattern.compile("([a-z])\\1{2,}");

    /** Misspellings and texting abbreviations, word by word. */
    private static final Map<String, String> SPELLING = Map.ofEntries(
            Map.entry("stp", "stop"), Map.entry("stpo", "stop"), Map.entry("sotp", "stop"), Map.entry("stopp", "stop"),
            Map.entry("st0p", "stop"), Map.entry("sstop", "stop"),
            Map.entry("unsub", "unsubscribe"), Map.entry("unsubs", "unsubscribe"),
            Map.entry("cancle", "cancel"), Map.entry("cancell", "cancel"), Map.entry("cansel", "cancel"),
            Map.entry("pls", "please"), Map.entry("plz", "please"), Map.entry("plez", "please"), Map.entry("plse", "please"),
            Map.entry("pleas", "please"), Map.entry("pleasee", "please"), Map.entry("plis", "please"),
            Map.entry("thx", "thanks"), Map.entry("thnx", "thanks"), Map.entry("thanx", "thanks"), Map.entry("ty", "thanks"),
            Map.entry("u", "you"), Map.entry("ur", "your"), Map.entry("r", "are"), Map.entry("dnt", "dont"),
            Map.entry("txt", "text"), Map.entry("txts", "texts"), Map.entry("txting", "texting"),
            Map.entry("msg", "message"), Map.entry("msgs", "messages"),
            Map.entry("porfa", "por favor"), Map.entry("porfis", "por favor"), Map.entry("porfavor", "por favor"),
            Map.entry("xfa", "por favor"), Map.entry("xfavor", "por favor"),
            Map.entry("kiero", "quiero"), Map.entry("qiero", "quiero"), Map.entry("q", "que"),
            Map.entry("xq", "porque"), Map.entry("pq", "porque"), Map.entry("porq", "porque"),
            Map.entry("mensages", "mensajes"), Map.entry("msj", "mensajes"), Map.entry("msjs", "mensajes"),
            Map.entry("mjs", "mensajes"), Map.entry("mnsjs", "mensajes"), Map.entry("vaja", "baja"));

    /** Words that only soften or hurry a keyword: "stop please", "ya basta", "alto por favor". */
    private static final Set<String> FILLER = Set.of("please", "thanks", "thank", "you", "now", "ok", "okay", "asap",
            "immediately", "already", "right", "away", "just", "it", "all", "sir", "maam", "again", "sorry", "hey", "hi",
            "hello", "ya", "por", "favor", "gracias", "muchas", "ahora", "mismo", "inmediatamente", "vale", "hola", "oye");

    private static final String MSGS = "(text|texts|texting|message|messages|messaging|sms|reminder|reminders"
            + "|notification|notifications|alert|alerts)";
    /** Texts in general, not one particular reminder: "I don't need the reminder" is not a revocation. */
    private static final String ALL_MSGS = "(texts|texting|messages|messaging|sms|reminders|notifications|alerts)";
    private static final String MENSAJES = "(mensaje|mensajes|mensajitos|texto|textos|sms|notificaciones|recordatorios)";

    /** "... from your list", "... off the texting list": our list, not a waiting list. */
    private static final String LIST = "( (your|the|this|all|ur))?( (text|texting|sms|mailing|contact|message|messaging))? (list|lists)";

    /** A clause made only of keywords (once the filler is gone) revokes: "STOP", "no más", "stop stop". */
    private static final String KEYWORD = "(stop|stopall|unsubscribe|cancel|end|quit|revoke|optout|opt out|remove|enough"
            + "|no more|baja|dar de baja|darme de baja|alto|parar|para|pare|paren|detener|cancelar|basta|fin|no mas"
            + "|desuscribir|desuscribirme)";
    private static final List<Pattern> SHORT = patterns(
            "^" + KEYWORD + "( " + KEYWORD + ")*$",
            "^no (more )?" + MSGS + "$",
            "^(i am |im )?(not|no longer) interested( in (this|these|it|them|(these |your |the )?" + MSGS + "))?$",
            "^no me interesan?( esto| eso| estos mensajes)?$",
            "^no estoy interesad[oa]s?$");

    /** A threat to report us if we do not stop is a revocation, although it says "don't stop". */
    private static final Pattern THREAT = Pattern.compile("\\bif (you|they)( \\w+)? (dont|do not|wont) (stop|quit)\\b");

    /** "Don't stop", "can't stop the pain", "no paren": a stop word negated is not a revocation. */
    private static final List<Pattern> NEGATED = patterns(
            "\\b(dont|do not|never|cant|cannot|wont|didnt|doesnt|not)( (want to|wanna|need to|you|ever|please|to))?"
                    + " (stop|quit|cancel|unsubscribe|end|opt out)\\b",
            "\\bno (me |nos )?(paren|pares|pare|dejen|dejes|deje|cancelen|canceles|cancele|detengan|quiten|saquen|borren|eliminen)\\b",
            "\\bno (quiero|deseo)( \\w+)? (dejar|cancelar|parar|darme|dar|que (paren|dejen|cancelen))\\b");

    /** Plain-language revocations, found anywhere in a clause that is not negated. */
    private static final List<Pattern> REVOCATIONS = patterns(
            // English: stop/quit + the texts, or + texting, sending, bothering...
            "\\b(stop|quit|cease)( \\w+){0,3} " + MSGS + "\\b",
            "^(please )?end( \\w+){0,2} " + MSGS + "\\b",
            "\\b(stop|quit|cease)( \\w+){0,2} (texting|messaging|sending|contacting|bothering|spamming|harassing)\\b",
            "\\b(stop|quit|end)( sending| texting)?( me)? (these|this|them)( now| please| already)*$",
            "^(stop|stopall|unsubscribe|revoke|remove|cancel|quit|end|opt out|optout)( all)?"
                    + " (it|this|these|them|now|already|immediately|i|im|you|we|wrong|not|never|who|whoever|spam)\\b",
            "\\bmake (it|this|them|these)( \\w+)? stop\\b",
            "^(can|could|would|will) you( please)? (stop|quit)( please| now| it| thanks)*$",
            "\\b(said|told you|replied|texted|asked you|already said|say)( to)? (stop|unsubscribe|remove|quit|cancel|no more)\\b",
            "\\bno more( \\w+){0,2} " + MSGS + "\\b",
            "\\b(dont|do not|never)( ever)?( again)? (text|message|contact|sms|bother)\\b",
            "\\b(dont|do not|never) send (me )?(\\w+ ){0,2}(" + MSGS + "|anything)\\b",
            "\\b(dont|do not|never) send (me )?(these|them|this|those|anymore|any more)$",
            "\\b(dont|do not|no longer|never) (want|wish|need)( to (get|receive|have|keep getting))?( \\w+){0,3} " + ALL_MSGS + "\\b",
            "\\b(dont|do not|no longer|never) (want|need)( to (get|receive))? (these|them|those)( anymore| any more)*$",
            "\\b(unsubscribe|unsubscribed|optout|opt out|opt me out|revoke)\\b",
            "\\bcancel( my| the| all| these| your)*( \\w+)? (subscription|" + ALL_MSGS + ")\\b",
            "\\b(remove|delete|erase) (me|my number|my phone number|my phone|this number|my info)( from" + LIST + ")?"
                    + "( please| now| thanks| thank you| asap)*$",
            "\\bremove from" + LIST + "\\b",
            "\\btake (me|my number|this number|my phone number)( \\w+)? off(" + LIST + ")?( please| now| thanks| thank you)*$",
            "\\b(leave me alone|go away|get lost|fuck off|f off)\\b",
            "^((you have|you got|you ve got) (the|a) |this is (the|a) )?wrong (number|person)( \\w+){0,2}$",
            "\\b(never|didnt|did not) (sign|signed|subscribe|subscribed|opt|opted|agree|agreed)\\b",
            "\\benough( with)?( the| these| your)? " + MSGS + "\\b",
            // Spanish: dejen de / paren de + enviar..., no me manden, no quiero recibir mensajes, darme de baja...
            "\\b(para|pare|paren|parar|deja|deje|dejen|dejar|detengan|detener|basta|termina|terminen)( ya)?( de)?"
                    + " (enviar|enviarme|mandar|mandarme|escribir|escribirme|textear|textearme|molestar|molestarme"
                    + "|contactar|contactarme)\\b",
            "\\b(para|pare|paren|parar|paro|basta|alto|fin|stop|detener|detengan|detengo)( ya)?( con| de| a)?"
                    + " (los |las |de |estos |estas |tus |sus )?" + MENSAJES + "\\b",
            "\\bno (quiero|deseo|necesito|queremos)( \\w+){0,3} " + MENSAJES + "\\b",
            "\\bno (quiero|deseo) que (me )?(manden|envien|escriban|molesten|contacten|llamen)\\b",
            // "no me manden más mensajes", "no me escriban": but "no me envíen el enlace otra vez" is about a link
            "\\bno (me )?(envien|envies|envie|manden|mandes|mande|escriban|escribas|escriba|molesten|molestes|moleste"
                    + "|contacten|contactes|texteen|enviar|enviarme|mandar|mandarme|escribir|escribirme|contactar|contactarme)"
                    + "(( \\w+){0,2} " + MENSAJES + ")?( (mas|nada|ningun|ninguno|esto|estos|eso|por|favor|ya|gracias|nunca))*$",
            "\\bno mas( \\w+){0,2} " + MENSAJES + "\\b",
            "\\b(dar|darme|darse|deme|denme|me doy|me da) de baja\\b",
            "\\b(cancelar|cancela|cancelen|cancele|cancelo)( la| mi| mis| las| los| esta| estas)?( \\w+)? (suscripcion|subscripcion|" + MENSAJES + ")\\b",
            "\\b(desuscribir|desuscribirme|desuscribanme|desuscribeme|desinscribir|desinscribirme|desubscribir|desubscribirme)\\b",
            "\\b(quitar|quitarme|quitenme|quiteme|quiten|quite|sacar|sacarme|saquenme|saqueme|borrar|borrarme|borrenme|borren"
                    + "|borre|eliminar|eliminarme|eliminenme|eliminen|elimine)( \\w+){0,3} (lista|listas|numero|telefono)\\b",
            "\\b(quitenme|saquenme|borrenme|eliminenme)\\b",
            "\\bsalir(me)? de( la| su| sus| esta| tu)? lista\\b",
            "\\bnumero (equivocado|incorrecto|errado|erroneo)\\b",
            "\\bequivoc\\w* de numero\\b",
            "\\b(dejenme|dejame|dejeme) (en paz|tranquil[oa]s?)\\b",
            "\\b(no|nunca) me (inscribi|registre|suscribi|apunte)\\b");

    /** Questions about who is texting, why, and how often, and complaints about calls (we only text): asked, not told. */
    private static final List<Pattern> QUESTIONS = patterns(
            "\\bwhy (do|am|are|does|did|is|have|would)( \\w+){0,3} (get|getting|receive|receiving|text|texting|message"
                    + "|messaging|contact|contacting|send|sending|keep)\\b",
            "^(who is this|who are you|whos this|who dis|who this|who is it|quien es|quien eres|quien habla|quienes son)\\b",
            "\\bhow did (you|they) get (my|this) (number|phone|info|contact)\\b",
            "^(what is|what are|whats) (this|these|that)( " + MSGS + ")?$",
            "^que (es|son) (esto|estos|eso)( mensajes)?$",
            "\\b(too|so|to) many( \\w+)? " + MSGS + "\\b",
            "\\bdemasiados " + MENSAJES + "\\b",
            "^(this is |is this |its )?spam$",
            "\\b(stop|quit) calling\\b",
            "\\b(dejen|deje|deja|paren|pare) de llamar(me)?\\b",
            "\\bno mas llamadas\\b",
            "\\bpor ?que( \\w+){0,3} (mandan|envian|escriben|llegan|llega|recibo|textean|manda|envia)\\b",
            "\\bcomo (consiguieron|obtuvieron|tienen|sacaron|consiguio|obtuvo|tiene)( \\w+){0,2} (numero|telefono)\\b",
            "\\bde donde (sacaron|tienen|obtuvieron|consiguieron)( \\w+){0,2} (numero|telefono)\\b");

    /** "No thanks" declines the offer; whether it also declines the texts is worth one question. */
    private static final Pattern NO_THANKS = Pattern.compile("^(no|nah|nope) (thanks|thank you|gracias)$");

    /**
     * A stop word in a question or a wish, without an object that makes it about something else:
     * "how do I stop?", "quiero cancelar" ask; "can I stop by?", "cancel my appointment" do not.
     */
    private static final Pattern STOP_WORD = Pattern.compile("\\b(stop|unsubscribe|cancel|opt out|parar|cancelar|cancelo|baja|detener)\\b");
    private static final Pattern ASKING = Pattern.compile("\\b(what|how|why|when|does|do|can|could|if|mean|want to|wanna"
            + "|would like to|like to|que|como|cuando|si|puedo|quiero|deseo|tengo que)\\b");
    private static final Pattern OTHER_OBJECT = Pattern.compile("\\b(stop (by|in|at|over|on)"
            + "|(stop|quit) (?!(texting|messaging|sending|contacting|getting|receiving)\\b)\\w+ing"
            + "|(stop|unsubscribe|cancel|cancelar|cancelo|parar|detener)( \\w+){0,2} (appointment|appt|visit|consultation"
            + "|booking|reservation|pain|meds|medication|medicine|pills|treatment|smoking|cita|consulta|visita|reserva|dolor"
            + "|medicina|tratamiento))\\b");

    private SmsKeywords() {
    }

    public static Intent classify(String body) {
        if (body == null) {
            return Intent.REPLY;
        }
        List<String> clauses = clauses(body);
        if (clauses.stream().anyMatch(SmsKeywords::revokes)) {
            return Intent.OPT_OUT;
        }
        String whole = String.join(" ", clauses);
        if (START.contains(whole)) {
            return Intent.OPT_IN;
        }
        if (HELP.contains(whole)) {
            return Intent.HELP;
        }
        if (clauses.stream().anyMatch(SmsKeywords::asks) || NO_THANKS.matcher(whole).matches()) {
            return Intent.AMBIGUOUS;
        }
        return Intent.REPLY;
    }

    private static boolean revokes(String clause) {
        if (THREAT.matcher(clause).find()) {
            return true;
        }
        if (NEGATED.stream().anyMatch(p -> p.matcher(clause).find())) {
            return false;
        }
        String bare = Arrays.stream(clause.split(" ")).filter(w -> !FILLER.contains(w)).collect(Collectors.joining(" "));
        return SHORT.stream().anyMatch(p -> p.matcher(bare).find()) || REVOCATIONS.stream().anyMatch(p -> p.matcher(clause).find());
    }

    private static boolean asks(String clause) {
        if (NEGATED.stream().anyMatch(p -> p.matcher(clause).find())) {
            return false;
        }
        if (QUESTIONS.stream().anyMatch(p -> p.matcher(clause).find())) {
            return true;
        }
        return STOP_WORD.matcher(clause).find() && ASKING.matcher(clause).find() && !OTHER_OBJECT.matcher(clause).find();
    }

    /**
     * The text as lower-case ASCII words, one string per clause: accents and emoji gone (stop signs
     * read "stop"), apostrophes dropped, stretched letters shortened, misspellings corrected, and
     * letters typed apart joined ("S T O P").
     */
    private static List<String> clauses(String body) {
        String text = Normalizer.normalize(body, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        text = APOSTROPHES.matcher(STOP_EMOJI.matcher(text).replaceAll(" stop ")).replaceAll("");
        List<String> clauses = new ArrayList<>();
        for (String part : CLAUSES.split(text)) {
            String plain = STRETCHED.matcher(part.replaceAll("[^a-z0-9]+", " ")).replaceAll("$1").strip();
            if (plain.isEmpty()) {
                continue;
            }
            List<String> words = Arrays.asList(plain.split(" "));
            if (words.size() >= 3 && words.stream().allMatch(w -> w.length() == 1)) {
                words = List.of(String.join("", words));
            }
            clauses.add(words.stream().map(SmsKeywords::spelled).collect(Collectors.joining(" ")));
        }
        return clauses;
    }

    /**
     * A word as meant: a known misspelling corrected, and "unsubscribe" recognised within two typos
     * (only words starting "un", so that "subscribe" stays an opt-in).
     */
    private static String spelled(String word) {
        String known = SPELLING.get(word);
        if (known != null) {
            return known;
        }
        if (word.startsWith("un") && word.length() >= 9 && word.length() <= 13 && distance(word, "unsubscribe") <= 2) {
            return "unsubscribe";
        }
        return word;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<Pattern> patterns(String... regexes) {
        return Arrays.stream(regexes).map(Pattern::compile).toList();
    }
}
