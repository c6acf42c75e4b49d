package health.outreach.template;

import health.outreach.template.Readability.Result;
import health.outreach.template.Readability.Sentence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadabilityTest {

    private static final double TOLERANCE = 0.01;

    private static final String HARD = "Minimally invasive spine surgery has revolutionized the treatment of "
            + "spinal conditions, offering patients less pain, quicker recovery times, and reduced hospital stays.";

    private static void assertCounts(Result r, int words, int sentences, int syllables, double grade) {
        assertEquals(words, r.words(), "words");
        assertEquals(sentences, r.sentences(), "sentences");
        assertEquals(syllables, r.syllables(), "syllables");
        assertEquals(grade, r.grade(), TOLERANCE, "grade");
    }

    @Test
    void shortEnglishSentence() {
        // The(1) cat(1) sat(1) on(1) the(1) mat(1): 6 words, 6 syllables, 1 sentence
        // FK = 0.39 * 6 + 11.8 * 6/6 - 15.59 = 2.34 + 11.8 - 15.59 = -1.45
        Result r = Readability.grade("The cat sat on the mat.", "en");
        assertEquals("Flesch-Kincaid", r.formula());
        assertCounts(r, 6, 1, 6, -1.45);
        assertEquals(List.of(), r.hardSentences());
    }

    @Test
    void longerEnglishSentence() {
        // Please(ea,e: 2 - silent e = 1) bring(1) your(1) vaccination(a,i,a,io: 4) card(1) to(1) the(1)
        // clinic(2) on(1) Saturday(a,u,ay: 3) morning(2): 11 words, 18 syllables
        // FK = 0.39 * 11 + 11.8 * 18/11 - 15.59 = 4.29 + 19.3091 - 15.59 = 8.0091
        Result r = Readability.grade(
                "Please bring your vaccination card to the clinic on Saturday morning.", "en-US");
        assertCounts(r, 11, 1, 18, 8.0091);
    }

    @Test
    void twoSentences() {
        // Flu(1) season(2) is(1) here(1).  Get(1) your(1) shot(1) today(2)!
        // 8 words, 10 syllables, 2 sentences
        // FK = 0.39 * 8/2 + 11.8 * 10/8 - 15.59 = 1.56 + 14.75 - 15.59 = 0.72
        Result r = Readability.grade("Flu season is here. Get your shot today!", null);
        assertCounts(r, 8, 2, 10, 0.72);
    }

    @Test
    void spanishUsesCrawford() {
        // El(1) día(dí-a: 2) de(1) la(1) cita(2) llegue(lle-gue: 2) con(1) cuidado(cui-da-do: 3) = 8 words, 13
        // ¿Tiene(tie-ne: 2) fiebre(fie-bre: 2) hoy(1)? = 3 words, 5
        // 11 words, 18 syllables, 2 sentences
        // OP = 2 * 100/11 = 18.1818; SLP = 18 * 100/11 = 163.6364
        // Crawford = -0.205 * 18.1818 + 0.049 * 163.6364 - 3.407 = -3.7273 + 8.0182 - 3.407 = 0.8839
        Result r = Readability.grade("El día de la cita, llegue con cuidado. ¿Tiene fiebre hoy?", "es-MX");
        assertEquals("Crawford", r.formula());
        assertCounts(r, 11, 2, 18, 0.8839);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"es,Crawford", "es-MX,Crawford", "ES-419,Crawford", "es_US,Crawford", "en,Flesch-Kincaid",
            "en-GB,Flesch-Kincaid", "fr,Flesch-Kincaid", "'',Flesch-Kincaid", "'  ',Flesch-Kincaid"})
    void formulaFollowsTheLanguageOfTheTag(String tag, String formula) {
        assertEquals(formula, Readability.grade("Hola.", tag).formula());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "table, 2",       // a, e; final "le" keeps its syllable
            "made, 1",        // a, e; silent final e
            "the, 1",         // one group; the final e is not subtracted from a single group
            "queue, 1",       // "ueue" is one vowel group
            "vaccine, 2",     // a, i, e; silent final e
            "syllable, 3",    // y, a, e; final "le" kept
            "health, 1",      // ea
            "appointment, 3", // a, oi, e
            "clinic, 2",      // i, i
            "don't, 1",       // o
            "2025, 1",        // digits only
            "Saturday, 3"})   // a, u, ay (upper case counts the same)
    void englishSyllables(String word, int syllables) {
        assertEquals(syllables, Readability.englishSyllables(word));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"leer, 2", "día, 2", "cuidado, 3", "aire, 2", "reír, 2", "país, 2", "ciudad, 2", "poeta, 3",
            "hoy, 1", "muy, 1", "y, 1", "que, 1", "ahora, 3", "pingüino, 3", "Día, 2"})
    void spanishSyllables(String word, int syllables) {
        assertEquals(syllables, Readability.spanishSyllables(word));
    }

    @Test
    void urlsAndEmailsAreNotCounted() {
        // Left after removal: Visit(2) or(1) email(e, ai: 2) today(2) -> 4 words, 7 syllables
        // FK = 0.39 * 4 + 11.8 * 7/4 - 15.59 = 1.56 + 20.65 - 15.59 = 6.62
        String text = "Visit https://health.example.org/flu?lang=en or email flu-team@health.example.org today.";
        assertCounts(Readability.grade(text, "en"), 4, 1, 7, 6.62);
        // www. addresses too, and the period after a link still ends the sentence.
        Result r = Readability.grade("See www.example.org/clinics. Call us.", "en");
        assertEquals(List.of("See.", "Call us."), Readability.sentences("See www.example.org/clinics. Call us."));
        assertEquals(3, r.words());
        assertEquals(2, r.sentences());
        assertEquals(List.of("Write to."), Readability.sentences("Write to flu@www.example.org."));
    }

    @Test
    void hardSentenceIsReportedAndEasyOneIsNot() {
        // HARD: Minimally(4) invasive(3) spine(1) surgery(3) has(1) revolutionized(6) the(1) treatment(2)
        // of(1) spinal(2) conditions(3) offering(3) patients(2) less(1) pain(1) quicker(2) recovery(4)
        // times(2) and(1) reduced(3) hospital(3) stays(1): 22 words, 50 syllables
        // FK = 0.39 * 22 + 11.8 * 50/22 - 15.59 = 8.58 + 26.8182 - 15.59 = 19.8082
        // "Get your shot today." 4 words, 5 syllables: 1.56 + 14.75 - 15.59 = 0.72
        // Whole: 26 words, 55 syllables, 2 sentences: 0.39 * 13 + 11.8 * 55/26 - 15.59 = 14.4415
        Result r = Readability.grade(HARD + " Get your shot today.", "en");
        assertCounts(r, 26, 2, 55, 14.4415);
        assertEquals(1, r.hardSentences().size());
        Sentence hard = r.hardSentences().get(0);
        assertEquals(HARD, hard.text());
        assertEquals(19.8082, hard.grade(), TOLERANCE);
    }

    @Test
    void hardSentencesComeHardestFirstAndFollowTheThreshold() {
        String moderate = "Please bring your vaccination card to the clinic on Saturday morning."; // 8.0091
        Result r = Readability.grade(moderate + " " + HARD, "en");
        assertEquals(List.of(HARD, moderate), r.hardSentences().stream().map(Sentence::text).toList());
        assertEquals(List.of(HARD), Readability.grade(moderate + " " + HARD, "en", 8.5)
                .hardSentences().stream().map(Sentence::text).toList());
        assertEquals(List.of(), Readability.grade(moderate + " " + HARD, "en", 20).hardSentences());
    }

    @Test
    void headingsWithoutPeriodAreTheirOwnSentences() {
        // "Flu clinic" (2 words), "Bring your card." (3), "- Wear a short sleeve" (4): 3 sentences, 9 words
        String text = "Flu clinic\nBring your card.\n- Wear a short sleeve\n\n";
        assertEquals(List.of("Flu clinic", "Bring your card.", "- Wear a short sleeve"), Readability.sentences(text));
        Result r = Readability.grade(text, "en");
        assertEquals(3, r.sentences());
        assertEquals(9, r.words());
    }

    @Test
    void punctuationRunsEndOneSentenceAndDecimalsDoNot() {
        assertEquals(List.of("Wait...", "Really?!", "Yes."), Readability.sentences("Wait... Really?! Yes."));
        assertEquals(List.of("Take 2.5 mg daily."), Readability.sentences("Take 2.5 mg daily."));
        assertEquals(3, Readability.grade("Wait... Really?! Yes.", "en").sentences());
    }

    @Test
    void sentencesWithoutWordsAreIgnored() {
        // "..." and "!!" stand alone but hold no words.
        assertEquals(2, Readability.grade("Hello. ... !! Bye.", "en").sentences());
    }

    @Test
    void emptyTextHasGradeZero() {
        for (String text : new String[] {null, "", "   ", "... !!", "https://example.org"}) {
            Result r = Readability.grade(text, "en");
            assertCounts(r, 0, 0, 0, 0);
            assertEquals(List.of(), r.hardSentences());
        }
        assertEquals("Crawford", Readability.grade("", "es").formula());
    }
}
