package health.outreach.bench;

import java.util.Locale;

/** Printing helpers shared by the benchmarks: every result is a rate and a ratio from the same run. */
final class Timing {

    private Timing() {
    }

    static double perSecond(long count, long nanos) {
        return count / (nanos / 1e9);
    }

    static void line(String label, long count, long nanos) {
        System.out.printf(Locale.ROOT, "%-44s %,10d in %7.2f s = %,10.0f /s%n", label, count, nanos / 1e9, perSecond(count, nanos));
    }

    static void ratio(String label, double value, String target, boolean met) {
        System.out.printf(Locale.ROOT, "%-44s %10.2f   (target %s: %s)%n", label, value, target, met ? "met" : "NOT met");
    }
}
