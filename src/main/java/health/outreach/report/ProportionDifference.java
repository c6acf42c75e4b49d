package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The difference of two shares, p1 − p2, with Newcombe's hybrid score interval (his method 10,
 * 1998): the two 95% Wilson intervals combined, L = d − √((p1 − l1)² + (u2 − p2)²) and
 * U = d + √((u1 − p1)² + (p2 − l2)²). Unlike the Wald interval it stays inside [−1, 1] and keeps
 * close to its 95% coverage for the small arms and rare clicks or bookings of an A/B step. Null
 * when either side has nobody counted.
 */
@Serdeable
public record ProportionDifference(@Nullable Double value, @Nullable Double low, @Nullable Double high) {

    public static final String METHOD = "difference of two proportions, Newcombe's hybrid score interval from 95% Wilson intervals";

    static final ProportionDifference NONE = new ProportionDifference(null, null, null);

    public static ProportionDifference of(Proportion first, Proportion second) {
        if (first.rate() == null || second.rate() == null) {
            return NONE;
        }
        double p1 = first.rate(), l1 = first.low(), u1 = first.high();
        double p2 = second.rate(), l2 = second.low(), u2 = second.high();
        double d = p1 - p2;
        return new ProportionDifference(d, d - Math.hypot(p1 - l1, u2 - p2), d + Math.hypot(u1 - p1, p2 - l2));
    }
}
