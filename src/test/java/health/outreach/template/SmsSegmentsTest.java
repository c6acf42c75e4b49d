package health.outreach.template;

import health.outreach.template.SmsSegments.Encoding;
import health.outreach.template.SmsSegments.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsSegmentsTest {

    private static String a(int n) {
        return "a".repeat(n);
    }

    private static void assertCount(Result r, Encoding encoding, int characters, int segments) {
        assertEquals(encoding, r.encoding(), "encoding");
        assertEquals(characters, r.characters(), "characters");
        assertEquals(segments, r.segments(), "segments");
    }

    @Test
    void nullAndEmptyCostNothing() {
        assertCount(SmsSegments.count(null), Encoding.GSM7, 0, 0);
        assertCount(SmsSegments.count(""), Encoding.GSM7, 0, 0);
        assertEquals(List.of(), SmsSegments.count(null).nonGsm());
        assertEquals(Map.of(), SmsSegments.count(null).suggestions());
    }

    @ParameterizedTest(name = "{0} x 'a' -> {1} segments")
    @CsvSource({"1,1", "160,1", "161,2", "306,2", "307,3", "459,3", "460,4"})
    void gsm7SegmentBoundaries(int length, int segments) {
        Result r = SmsSegments.count(a(length));
        assertCount(r, Encoding.GSM7, length, segments);
        assertEquals(List.of(), r.nonGsm());
    }

    @Test
    void everyBasicTableCharacterIsOneSeptet() {
        String basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        assertEquals(127, basic.length()); // 128 code points less ESC
        assertCount(SmsSegments.count(basic), Encoding.GSM7, 127, 1);
    }

    @Test
    void extensionCharactersAreTwoSeptets() {
        assertCount(SmsSegments.count("€"), Encoding.GSM7, 2, 1);
        // ^ { } \ [ ~ ] | € and form feed: 10 characters, 20 septets
        assertCount(SmsSegments.count("^{}\\[~]|€\f"), Encoding.GSM7, 20, 1);
        // 159 + 2 = 161 septets: no longer fits one segment
        assertCount(SmsSegments.count(a(159) + "€"), Encoding.GSM7, 161, 2);
        assertCount(SmsSegments.count(a(158) + "€"), Encoding.GSM7, 160, 1);
    }

    @Test
    void escapeCharacterItselfIsNotGsm() {
        Result r = SmsSegments.count("a\u001Bb");
        assertCount(r, Encoding.UCS2, 3, 1);
        assertEquals(List.of("\u001B"), r.nonGsm());
    }

    @Test
    void extensionCharacterIsNeverSplitAcrossParts() {
        // 152 + 2 + 10 = 164 septets. The € would occupy septets 153 and 154, straddling the first
        // part's end, so it moves whole to part two: part one holds 152, part two 12.
        assertCount(SmsSegments.count(a(152) + "€" + a(10)), Encoding.GSM7, 164, 2);
        // 152 + 2 + 152 = 306 septets, which is exactly 2 x 153, but part one can only hold 152
        // (the € moves on), part two holds € + 151 a = 153, and the last a needs a third part.
        assertCount(SmsSegments.count(a(152) + "€" + a(152)), Encoding.GSM7, 306, 3);
        // Control: the same length of single septets fits two parts.
        assertCount(SmsSegments.count(a(306)), Encoding.GSM7, 306, 2);
        // When the € ends exactly on the boundary (151 + 2 = 153) nothing moves.
        assertCount(SmsSegments.count(a(151) + "€" + a(153)), Encoding.GSM7, 306, 2);
    }

    @Test
    void emojiIsTwoUtf16Units() {
        Result r = SmsSegments.count("😀");
        assertCount(r, Encoding.UCS2, 2, 1);
        assertEquals(List.of("😀"), r.nonGsm());
        assertEquals(Map.of(), r.suggestions());
    }

    @Test
    void ucs2SegmentBoundaries() {
        // é is in the GSM table, á is not: one á turns the whole message UCS-2.
        assertCount(SmsSegments.count(a(69) + "é"), Encoding.GSM7, 70, 1);
        assertCount(SmsSegments.count(a(69) + "á"), Encoding.UCS2, 70, 1);
        assertCount(SmsSegments.count(a(70) + "á"), Encoding.UCS2, 71, 2);
        assertCount(SmsSegments.count(a(133) + "á"), Encoding.UCS2, 134, 2);
        assertCount(SmsSegments.count(a(134) + "á"), Encoding.UCS2, 135, 3);
    }

    @Test
    void surrogatePairIsNeverSplitAcrossParts() {
        // 66 + 2 = 68 units still fits the 70-unit single message.
        assertCount(SmsSegments.count(a(66) + "😀"), Encoding.UCS2, 68, 1);
        // 66 + 2 + 3 = 71 units: the emoji would take units 67 and 68, so it opens part two.
        assertCount(SmsSegments.count(a(66) + "😀" + a(3)), Encoding.UCS2, 71, 2);
        // 66 + 2 + 66 = 134 units = 2 x 67, but part one holds 66, part two 😀 + 65 a, part three 1 a.
        assertCount(SmsSegments.count(a(66) + "😀" + a(66)), Encoding.UCS2, 134, 3);
        // Control: emoji ending exactly on the boundary (65 + 2 = 67).
        assertCount(SmsSegments.count(a(65) + "😀" + a(67)), Encoding.UCS2, 134, 2);
    }

    @Test
    void curlyApostropheIsReportedWithItsReplacement() {
        Result r = SmsSegments.count("Don’t miss your flu shot");
        assertCount(r, Encoding.UCS2, 24, 1);
        assertEquals(List.of("’"), r.nonGsm());
        assertEquals(Map.of("’", "'"), r.suggestions());
    }

    @Test
    void nonGsmCharactersAreDistinctInOrderOfFirstAppearance() {
        Result r = SmsSegments.count("“Hi” – see you… 😀 “soon”\u00A0ok");
        assertEquals(List.of("“", "”", "–", "…", "😀", "\u00A0"), r.nonGsm());
        assertEquals(List.of("“", "”", "–", "…", "\u00A0"), List.copyOf(r.suggestions().keySet()));
        assertEquals("\"", r.suggestions().get("“"));
        assertEquals("\"", r.suggestions().get("”"));
        assertEquals("-", r.suggestions().get("–"));
        assertEquals("...", r.suggestions().get("…"));
        assertEquals(" ", r.suggestions().get("\u00A0"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "’|'", "‘|'", "‚|'", "′|'", "“|\"", "”|\"", "„|\"", "″|\"", "–|-", "—|-", "−|-", "…|...", "•|-",
            "`\u2009`|` `", "`\u202F`|` `", "`\u3000`|` `", "`\u00A0`|` `",
            "á|a", "í|i", "ó|o", "ú|u", "Á|A", "Í|I", "Ó|O", "Ú|U", "ê|e", "ë|e", "â|a", "ô|o", "û|u", "ï|i",
            "õ|o", "ã|a", "ç|c"})
    void suggestions(String character, String replacement) {
        Result r = SmsSegments.count("x" + character);
        assertEquals(Encoding.UCS2, r.encoding());
        assertEquals(Map.of(character, replacement), r.suggestions());
        // Applying the suggestion really does bring the message back to GSM-7.
        assertEquals(Encoding.GSM7, SmsSegments.count("x" + replacement).encoding());
    }

    @Test
    void noSuggestionWithoutAGsmLookAlike() {
        Result r = SmsSegments.count("Clinic 診所 😀");
        assertEquals(List.of("診", "所", "😀"), r.nonGsm());
        assertTrue(r.suggestions().isEmpty());
    }
}
