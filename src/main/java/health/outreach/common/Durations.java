package health.outreach.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Durations in words, as a coordinator reads them: "3 days", "2 weeks", "2 hours 30 minutes", "45 seconds". */
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
        if (d.toDaysPart() % 7 == 0 && d.toDaysPart() > 0 && d.minusDays(d.toDaysPart()).isZero()) {
            add(parts, d.toDaysPart() / 7, "week"); // entered in weeks, read in weeks
            return parts.get(0);
        }
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

    /** The units a coordinator picks a delay in. */
    public static final List<String> UNITS = List.of("minutes", "hours", "days", "weeks");

    /** A delay as a form shows it: a whole number and a unit. */
    public record Amount(long value, String unit) {
    }

    /**
     * The stored duration as the largest unit that divides it evenly ({@code P14D} is 2 weeks,
     * {@code PT90M} 90 minutes); the sign goes with the value. Null for no duration or one that is
     * not ISO-8601.
     */
    public static Amount amount(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
        long minutes = d.toMinutes();
        if (minutes != 0 && minutes % (7 * 24 * 60) == 0) {
            return new Amount(minutes / (7 * 24 * 60), "weeks");
        }
        if (minutes % (24 * 60) == 0) {
            return new Amount(minutes / (24 * 60), "days");
        }
        if (minutes % 60 == 0) {
            return new Amount(minutes / 60, "hours");
        }
        return new Amount(minutes, "minutes");
    }

    /** The ISO-8601 form of a whole number of {@link #UNITS} (days stay calendar days: {@code P3D}). */
    public static String iso(long value, String unit) {
        return switch (unit) {
            case "minutes" -> "PT" + value + "M";
            case "hours" -> "PT" + value + "H";
            case "weeks" -> "P" + Math.multiplyExact(value, 7) + "D";
            case "days" -> "P" + value + "D";
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }

    private static void add(List<String> parts, long n, String unit) {
        if (n > 0) {
            parts.add(n + " " + unit + (n == 1 ? "" : "s"));
        }
    }
}
