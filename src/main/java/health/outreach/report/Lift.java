package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Lift of the messaged group over the holdout: the difference of two conversion proportions with a
 * 95% Wald interval, p1 − p2 ± 1.96 √(p1(1−p1)/n1 + p2(1−p2)/n2). The normal approximation only
 * holds with enough people and enough of both outcomes in each group, so below that the value is
 * withheld and {@code note} says why, rather than printing a misleading interval.
 */
@Serdeable
public record Lift(@Nullable Double value, @Nullable Double ci95Low, @Nullable Double ci95High, boolean shown, String note) {

    static final double Z95 = 1.959963984540054;
    /** People per group, and bookings and non-bookings per group, below which no interval is shown. */
    static final int MIN_GROUP = 30;
    static final int MIN_OUTCOMES = 5;

    public static Lift of(long bookedMessaged, long reached, long bookedHoldout, long holdout) {
        if (holdout == 0) {
            return new Lift(null, null, null, false, "no holdout: set holdoutPercent on the campaign to measure lift");
        }
        if (reached < MIN_GROUP || holdout < MIN_GROUP) {
            return new Lift(null, null, null, false, "too few people: each group needs at least " + MIN_GROUP
                    + " (reached " + reached + ", holdout " + holdout + ")");
        }
        if (Math.min(bookedMessaged, reached - bookedMessaged) < MIN_OUTCOMES
                || Math.min(bookedHoldout, holdout - bookedHoldout) < MIN_OUTCOMES) {
            return new Lift(null, null, null, false, "too few bookings: each group needs at least " + MIN_OUTCOMES
                    + " people who booked and " + MIN_OUTCOMES + " who did not");
        }
        double p1 = (double) bookedMessaged / reached;
        double p2 = (double) bookedHoldout / holdout;
        double diff = p1 - p2;
        double se = Math.sqrt(p1 * (1 - p1) / reached + p2 * (1 - p2) / holdout);
        return new Lift(diff, diff - Z95 * se, diff + Z95 * se, true, "difference of two proportions, 95% Wald interval");
    }
}
