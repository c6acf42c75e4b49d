package health.outreach.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a tested step's winner is picked, as pure arithmetic. The best variant is the one with the
 * highest rate on the step's metric (the first among equals). It wins when every variant reached at
 * least the minimum and a two-proportion z-test (pooled, two-sided) of the best against each other
 * variant gives p below {@link #ALPHA}. Requiring every comparison to pass is an intersection-union
 * test, so its error rate stays at alpha without a multiplicity correction. Otherwise the fallback
 * variant is sent, with a notice saying why.
 */
public final class WinnerRule {

    public static final double ALPHA = 0.05;

    private WinnerRule() {
    }

    /** One variant's test numbers: people reached and those of them who clicked (or booked). */
    public record Arm(String label, long reached, long successes) {
        public Double rate() {
            return reached == 0 ? null : (double) successes / reached;
        }
    }

    /** One variant's comparison with the best; {@code z} and {@code p} are null for the best itself. */
    public record Compared(Arm arm, Double z, Double p) {
    }

    public record Outcome(int winner, int best, boolean fellBack, String notice, List<Compared> arms) {
    }

    public static String describe(String metric, int minPerVariant) {
        return String.format(Locale.ROOT, "highest %s rate wins if it beats every other variant by a two-proportion z-test "
                + "(pooled, two-sided, alpha %.2f) with at least %d reached per variant; otherwise the fallback",
                metric.toLowerCase(Locale.ROOT), ALPHA, minPerVariant);
    }

    public static Outcome decide(List<Arm> arms, int minPerVariant, int fallback) {
        int best = 0;
        for (int i = 1; i < arms.size(); i++) {
            if (rate(arms.get(i)) > rate(arms.get(best))) {
                best = i;
            }
        }
        List<Compared> compared = new ArrayList<>();
        double worstP = 0;
        String against = null;
        for (int i = 0; i < arms.size(); i++) {
            Arm a = arms.get(i);
            if (i == best) {
                compared.add(new Compared(a, null, null));
                continue;
            }
            Arm b = arms.get(best);
            Double z = z(b.successes(), b.reached(), a.successes(), a.reached());
            double p = z == null ? 1.0 : twoSidedP(z);
            compared.add(new Compared(a, z, p));
            if (p >= worstP) {
                worstP = p;
                against = a.label();
            }
        }
        List<String> small = arms.stream().filter(a -> a.reached() < minPerVariant)
                .map(a -> a.label() + " reached " + a.reached()).toList();
        String fallbackLabel = arms.get(fallback).label();
        if (!small.isEmpty()) {
            return new Outcome(fallback, best, true, "Too few people reached to pick a winner (" + String.join(", ", small)
                    + "; at least " + minPerVariant + " per variant needed): sending the fallback, variant " + fallbackLabel + ".",
                    compared);
        }
        if (worstP >= ALPHA) {
            return new Outcome(fallback, best, true, String.format(Locale.ROOT, "No variant won clearly (%s against %s: p = %.3f, "
                    + "not below %.2f): sending the fallback, variant %s.", arms.get(best).label(), against, worstP, ALPHA,
                    fallbackLabel), compared);
        }
        return new Outcome(best, best, false, null, compared);
    }

    /**
     * The pooled two-proportion z statistic of x1/n1 against x2/n2; null when it is undefined (an
     * empty arm, or a pooled rate of 0 or 1, where the two arms cannot differ).
     */
    public static Double z(long x1, long n1, long x2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return null;
        }
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return null;
        }
        return ((double) x1 / n1 - (double) x2 / n2) / se;
    }

    /** P(|Z| ≥ |z|) for a standard normal Z. */
    public static double twoSidedP(double z) {
        return Math.min(1.0, erfc(Math.abs(z) / Math.sqrt(2)));
    }

    /**
     * The complementary error function, by the Chebyshev fit in Numerical Recipes (erfcc): relative
     * error below 1.2e-7 everywhere, ample for a threshold at 0.05 and for showing p to 3 places.
     */
    static double erfc(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : 2.0 - y;
    }

    private static double rate(Arm a) {
        return a.rate() == null ? -1 : a.rate();
    }
}
