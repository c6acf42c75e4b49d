package health.outreach.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an SMS body will be encoded and how many billable segments it costs (GSM 03.38).
 * <p>
 * One stray typographic character (a curly quote pasted from a word processor) switches the whole
 * message from GSM-7 to UCS-2 and can triple its cost, so the result names the characters that did
 * it and, where there is one, a GSM-7 look-alike to use instead.
 */
public final class SmsSegments {

    public enum Encoding { GSM7, UCS2 }

    /**
     * @param characters  GSM-7 septets (extension-table characters count 2) or UCS-2/UTF-16 code units
     * @param nonGsm      the distinct characters (order of first appearance) that forced UCS-2; empty for GSM7
     * @param suggestions for those of them with a common GSM-7 replacement: character -> replacement
     */
    public record Result(Encoding encoding, int characters, int segments, List<String> nonGsm,
                         Map<String, String> suggestions) {
        public Result {
            nonGsm = List.copyOf(nonGsm);
            // Map.copyOf would lose the order of first appearance, which the UI shows.
            suggestions = Collections.unmodifiableMap(new LinkedHashMap<>(suggestions));
        }
    }

    // ESC (\u001B) is deliberately absent: in the table it only introduces an extension character,
    // so a literal ESC in input cannot be sent as itself.
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                    + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** Sent as ESC + character, so each costs two septets. */
    private static final String EXTENSION = "^{}\\[~]|€\f";

    private static final int GSM_SINGLE = 160;
    private static final int GSM_PART = 153;   // 7 septets of each part go to the concatenation header
    private static final int UCS2_SINGLE = 70;
    private static final int UCS2_PART = 67;   // likewise 6 bytes = 3 UTF-16 units

    private static final Map<String, String> REPLACEMENTS = replacements();

    private SmsSegments() {
    }

    public static Result count(String text) {
        if (text == null || text.isEmpty()) {
            return new Result(Encoding.GSM7, 0, 0, List.of(), Map.of());
        }
        Set<String> nonGsm = new LinkedHashSet<>();
        text.codePoints().filter(cp -> gsmWidth(cp) == 0).forEach(cp -> nonGsm.add(Character.toString(cp)));

        if (nonGsm.isEmpty()) {
            int[] widths = text.codePoints().map(SmsSegments::gsmWidth).toArray();
            return new Result(Encoding.GSM7, sum(widths), segments(widths, GSM_SINGLE, GSM_PART),
                    List.of(), Map.of());
        }
        // A supplementary character (emoji) is a surrogate pair: two units that must stay in one part.
        int[] widths = text.codePoints().map(Character::charCount).toArray();
        Map<String, String> suggestions = new LinkedHashMap<>();
        for (String c : nonGsm) {
            String replacement = replacementFor(c);
            if (replacement != null) {
                suggestions.put(c, replacement);
            }
        }
        return new Result(Encoding.UCS2, sum(widths), segments(widths, UCS2_SINGLE, UCS2_PART),
                new ArrayList<>(nonGsm), suggestions);
    }

    /** Septets for one code point: 1 basic, 2 extension, 0 when GSM-7 cannot carry it. */
    private static int gsmWidth(int cp) {
        if (cp > 0xFFFF) {
            return 0;
        }
        if (BASIC.indexOf(cp) >= 0) {
            return 1;
        }
        return EXTENSION.indexOf(cp) >= 0 ? 2 : 0;
    }

    /**
     * Greedy packing, as handsets and SMSCs do it: a character that does not fit in what is left of
     * a part starts the next part, so a part can come up one unit short and a message of exactly
     * n * partSize units can still need n + 1 parts.
     */
    private static int segments(int[] widths, int single, int partSize) {
        int total = sum(widths);
        if (total == 0) {
            return 0;
        }
        if (total <= single) {
            return 1;
        }
        int parts = 1;
        int used = 0;
        for (int w : widths) {
            if (used + w > partSize) {
                parts++;
                used = 0;
            }
            used += w;
        }
        return parts;
    }

    private static int sum(int[] widths) {
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        return total;
    }

    private static String replacementFor(String c) {
        String fixed = REPLACEMENTS.get(c);
        if (fixed != null) {
            return fixed;
        }
        // Any Unicode space separator (no-break, thin, em, ideographic, ...) reads as a plain space.
        int cp = c.codePointAt(0);
        return c.length() == 1 && Character.getType(cp) == Character.SPACE_SEPARATOR ? " " : null;
    }

    private static Map<String, String> replacements() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String q : List.of("’", "‘", "‚", "′", "‛", "‹", "›")) {
            m.put(q, "'");
        }
        for (String q : List.of("“", "”", "„", "″", "‟", "«", "»")) {
            m.put(q, "\"");
        }
        for (String d : List.of("–", "—", "−", "‐", "‑", "‒", "•")) {
            m.put(d, "-");
        }
        m.put("…", "...");
        m.put("\t", " ");
        // Accented letters GSM-7 lacks. Lower-case ç goes to c rather than to the GSM Ç: a capital in
        // the middle of a word reads worse than a missing cedilla.
        for (String pair : List.of("áa", "íi", "óo", "úu", "ÁA", "ÍI", "ÓO", "ÚU", "âa", "êe", "îi", "ôo", "ûu",
                "ÂA", "ÊE", "ÎI", "ÔO", "ÛU", "ëe", "ïi", "ËE", "ÏI", "ÀA", "ÈE", "ÌI", "ÒO", "ÙU", "ãa", "õo",
                "ÃA", "ÕO", "çc")) {
            m.put(pair.substring(0, 1), pair.substring(1));
        }
        // The point of a suggestion is to get back to GSM-7; one that does not would be a trap.
        m.forEach((k, v) -> {
            if (!v.codePoints().allMatch(cp -> gsmWidth(cp) > 0) || gsmWidth(k.codePointAt(0)) > 0) {
                throw new IllegalStateException("bad GSM-7 suggestion " + k + " -> " + v);
            }
        });
        return Map.copyOf(m);
    }
}
