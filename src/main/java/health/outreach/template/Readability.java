package health.outreach.template;

import health.outreach.common.LanguageTags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading grade level of a message: Flesch–Kincaid for English (and any language we have no formula
 * for), Crawford for Spanish. Public-health guidance asks for grade 8 or below, so the result also
 * lists the sentences that pull the text above a threshold, hardest first, for the author to rewrite.
 */
public final class Readability {

    public static final double DEFAULT_THRESHOLD = 8.0;

    public record Sentence(String text, double grade) {
    }

    /**
     * @param formula       "Flesch-Kincaid" (English and default) or "Crawford" (Spanish)
     * @param hardSentences sentences whose own grade is above the threshold, hardest first
     */
    public record Result(String formula, double grade, int words, int sentences, int syllables,
                         List<Sentence> hardSentences) {
        public Result {
            hardSentences = List.copyOf(hardSentences);
        }
    }

    // Links and addresses are not read as words; left in, "https://clinic.example.org/flu" would count
    // as several long words. URLs end on a non-punctuation character so a sentence's final period stays.
    private static final Pattern URL = Pattern.compile(
            "(?i)\\b(?:https?://|www\\.)[^\\s<>]*[^\\s<>.,;:!?)\\]\"'’]");
    private static final Pattern EMAIL = Pattern.compile(
            "[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");
    private static final Pattern LINE = Pattern.compile("\\R");
    // A run of . ! ? ends one sentence ("...", "?!"), except a single dot between digits ("2.5 mg").
    private static final Pattern END = Pattern.compile("[.!?]+");
    // \p{M}: an accent typed as a combining mark stays inside its word. ’ is the apostrophe most
    // editors type, so "don’t" is one word like "don't".
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}'’]+");

    private enum Language { ENGLISH, SPANISH }

    private Readability() {
    }

    public static Result grade(String text, String languageTag) {
        return grade(text, languageTag, DEFAULT_THRESHOLD);
    }

    public static Result grade(String text, String languageTag, double threshold) {
        Language language = languageOf(languageTag);
        String formula = language == Language.SPANISH ? "Crawford" : "Flesch-Kincaid";
        int words = 0;
        int sentences = 0;
        int syllables = 0;
        List<Sentence> hard = new ArrayList<>();
        for (String sentence : sentences(text)) {
            List<String> sentenceWords = words(sentence);
            if (sentenceWords.isEmpty()) {
                continue; // "...", "---", a bare bullet: nothing to read
            }
            int sentenceSyllables = 0;
            for (String w : sentenceWords) {
                sentenceSyllables += syllables(w, language);
            }
            double g = formula(language, sentenceWords.size(), 1, sentenceSyllables);
            if (g > threshold) {
                hard.add(new Sentence(sentence, g));
            }
            words += sentenceWords.size();
            sentences++;
            syllables += sentenceSyllables;
        }
        if (words == 0) {
            return new Result(formula, 0, 0, 0, 0, List.of());
        }
        hard.sort(Comparator.comparingDouble(Sentence::grade).reversed()); // stable: ties keep text order
        return new Result(formula, formula(language, words, sentences, syllables), words, sentences,
                syllables, hard);
    }

    /** English syllables by the usual vowel-group heuristic (package-private for tests). */
    static int englishSyllables(String word) {
        return syllables(word, Language.ENGLISH);
    }

    /** Spanish syllables: vowel groups, split where two strong vowels meet (hiatus). */
    static int spanishSyllables(String word) {
        return syllables(word, Language.SPANISH);
    }

    private static double formula(Language language, int words, int sentences, int syllables) {
        if (language == Language.SPANISH) {
            double op = 100.0 * sentences / words;   // sentences per 100 words
            double slp = 100.0 * syllables / words;  // syllables per 100 words
            return -0.205 * op + 0.049 * slp - 3.407;
        }
        return 0.39 * words / sentences + 11.8 * syllables / words - 15.59;
    }

    private static Language languageOf(String tag) {
        if (tag == null || tag.isBlank()) {
            return Language.ENGLISH;
        }
        String language = LanguageTags.language(tag);
        return "es".equals(language) ? Language.SPANISH : Language.ENGLISH;
    }

    /** Sentence texts, whitespace collapsed, with their end punctuation. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        // Addresses first: "flu@www.example.org" must go whole, not leave "flu@" behind.
        String clean = URL.matcher(EMAIL.matcher(text).replaceAll(" ")).replaceAll(" ");
        // Every line break ends a sentence: a line that already ended with punctuation was ended by
        // it, and one that did not is a heading, a bullet or a sign-off that stands on its own.
        for (String line : LINE.split(clean)) {
            Matcher end = END.matcher(line);
            int start = 0;
            while (end.find()) {
                if (decimalPoint(line, end)) {
                    continue;
                }
                add(out, line.substring(start, end.end()));
                start = end.end();
            }
            add(out, line.substring(start));
        }
        return out;
    }

    private static boolean decimalPoint(String line, Matcher end) {
        return end.group().equals(".") && end.start() > 0 && end.end() < line.length()
                && Character.isDigit(line.charAt(end.start() - 1)) && Character.isDigit(line.charAt(end.end()));
    }

    private static void add(List<String> out, String sentence) {
        // Collapse whitespace, and close the gap a removed link leaves before punctuation ("See .").
        String s = sentence.strip().replaceAll("\\s+", " ").replaceAll(" ([.!?,;:])", "$1");
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    private static List<String> words(String sentence) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(sentence);
        while (m.find()) {
            // Quotes made of apostrophes ('flu shot') are not part of the word; a lone "'" is no word.
            String w = m.group().replaceAll("^['’]+|['’]+$", "");
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static int syllables(String word, Language language) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.chars().allMatch(Character::isDigit)) {
            return 1; // "2025" is not spelled out; count it as one unit rather than guess
        }
        return Math.max(1, language == Language.SPANISH ? spanishGroups(w) : englishGroups(w));
    }

    private static int englishGroups(String w) {
        int groups = 0;
        boolean inVowel = false;
        for (int i = 0; i < w.length(); i++) {
            boolean vowel = "aeiouy".indexOf(w.charAt(i)) >= 0;
            if (vowel && !inVowel) {
                groups++;
            }
            inVowel = vowel;
        }
        // Silent final e ("made", "vaccine"), but "table", "people" keep their -le syllable.
        if (groups > 1 && w.endsWith("e") && !w.endsWith("le")) {
            groups--;
        }
        return groups;
    }

    private static int spanishGroups(String w) {
        int groups = 0;
        char previous = 0; // 0: previous character was not a vowel
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            // "y" is a vowel only at the end of a word ("hoy", "muy", "y"); elsewhere it is a consonant.
            boolean vowel = "aeiouáéíóúü".indexOf(c) >= 0 || (c == 'y' && i == w.length() - 1);
            if (!vowel) {
                previous = 0;
                continue;
            }
            // A new syllable starts after a consonant, or between two strong vowels (hiatus: "le-er",
            // "dí-a", "po-e-ta"); a weak i/u/ü/y joins its neighbour in a diphthong ("ciu-dad", "hoy").
            if (previous == 0 || (strong(previous) && strong(c))) {
                groups++;
            }
            previous = c;
        }
        return groups;
    }

    /** a, e, o, and any accented vowel: an accent on i or u breaks the diphthong ("país", "reír"). */
    private static boolean strong(char c) {
        return "aeoáéíóú".indexOf(c) >= 0;
    }
}
