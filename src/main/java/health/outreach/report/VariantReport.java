package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Per A/B step, per variant: people reached (messages the provider accepted: one per person and
 * step), those who clicked, those who booked (the program's conversion, credited to the variant's
 * message), each rate with its 95% Wilson interval, and each variant's difference from the best
 * variant on that metric (the highest rate; the first on a tie) with Newcombe's interval. The best
 * variant's own difference is zero with no interval. Nothing here decides a winner: a tested step
 * carries the decision as the campaign stored it, with the numbers it was made on (the counters
 * above keep growing once the winner goes to the rest).
 */
public final class VariantReport {

    private VariantReport() {
    }

    @Serdeable
    public record VariantStats(String label, long templateId, int templateVersion, String template, int percent, long reached,
                               long clicked, long booked, Proportion clickRate, Proportion bookingRate,
                               ProportionDifference clickVsBest, ProportionDifference bookingVsBest) {
    }

    @Serdeable
    public record StepVariants(long stepId, int stepOrder, String channel, String bestByClicks, String bestByBookings,
                               List<VariantStats> variants, String method, @Nullable Decision decision) {
    }

    /**
     * A tested step's settings and, once {@code status} is DECIDED, its decision: the winner sent
     * to the rest, the best by the metric, whether the winner is the fallback and why (the notice),
     * the rule applied, and each variant's test numbers with the best's z-test against it.
     */
    @Serdeable
    public record Decision(int testPercent, String testWait, String metric, int minPerVariant, String fallback, String status,
                           @Nullable Instant decidedAt, @Nullable String winner, @Nullable String best, boolean fellBack,
                           @Nullable String notice, @Nullable String rule, long released, List<DecisionArm> variants) {
    }

    @Serdeable
    public record DecisionArm(String label, long reached, long successes, @Nullable Double rate, @Nullable Double z,
                              @Nullable Double pValue) {
    }

    /** What the report's counters say about one variant, before the arithmetic. */
    record Counts(String label, long templateId, int templateVersion, String template, int percent, long reached, long clicked,
                  long booked) {
    }

    static StepVariants of(long stepId, int stepOrder, String channel, List<Counts> counts) {
        return of(stepId, stepOrder, channel, counts, null);
    }

    static StepVariants of(long stepId, int stepOrder, String channel, List<Counts> counts, @Nullable Decision decision) {
        List<Proportion> clicks = counts.stream().map(c -> Proportion.of(c.clicked(), c.reached())).toList();
        List<Proportion> bookings = counts.stream().map(c -> Proportion.of(c.booked(), c.reached())).toList();
        int bestClick = best(clicks);
        int bestBooking = best(bookings);
        List<VariantStats> stats = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            Counts c = counts.get(i);
            stats.add(new VariantStats(c.label(), c.templateId(), c.templateVersion(), c.template(), c.percent(), c.reached(),
                    c.clicked(), c.booked(), clicks.get(i), bookings.get(i), versus(clicks, i, bestClick),
                    versus(bookings, i, bestBooking)));
        }
        return new StepVariants(stepId, stepOrder, channel, bestClick < 0 ? null : counts.get(bestClick).label(),
                bestBooking < 0 ? null : counts.get(bestBooking).label(), stats, ProportionDifference.METHOD, decision);
    }

    /** The index of the highest rate, the first among equals; -1 when no variant reached anyone. */
    private static int best(List<Proportion> rates) {
        Function<Integer, Double> rate = i -> rates.get(i).rate();
        return java.util.stream.IntStream.range(0, rates.size()).boxed().filter(i -> rate.apply(i) != null)
                .max(Comparator.<Integer, Double>comparing(rate).thenComparing(Comparator.<Integer>reverseOrder()))
                .orElse(-1);
    }

    private static ProportionDifference versus(List<Proportion> rates, int i, int best) {
        if (best < 0) {
            return ProportionDifference.NONE;
        }
        if (i == best) {
            return new ProportionDifference(0.0, null, null);
        }
        return ProportionDifference.of(rates.get(i), rates.get(best));
    }
}
