package health.outreach.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Durations in words, as a coordinator reads them: "3 days", "2 hours 30 minutes", "45 seconds". */
public final class Durations {

    private Durations() {
    }

    public static String words(Duration d) {
        if (d == null) {
            return "";
        }
        if (d.isNegative()) {
            return words(d.negated()) + " before";
        }
        if (d.isZero()) {
            return "no time";
        }
        List<String> parts = new ArrayList<>();
        add(parts, d.toDaysPart(), "day");
        add(parts, d.toHoursPart(), "hour");
        add(parts, d.toMinutesPart(), "minute");
        if (parts.isEmpty() || d.toDays() == 0 && d.toHours() == 0) {
            add(parts, d.toSecondsPart(), "second");
        }
        return String.join(" ", parts.subList(0, Math.min(2, parts.size())));
    }

    /** An ISO-8601 duration ({@code P3D}, {@code PT2H}) in words; anything else as it is. */
    public static String words(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            return words(Duration.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static void add(List<String> parts, long n, String unit) {
        if (n > 0) {
            parts.add(n + " " + unit + (n == 1 ? "" : "s"));
        }
    }
}
