package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A share with its 95% Wilson score interval: honest for small groups and for shares near 0 or 1,
 * where the textbook ±1.96·SE interval runs below zero. Null rate when nobody was counted.
 */
@Serdeable
public record Proportion(long count, long of, @Nullable Double rate, @Nullable Double low, @Nullable Double high) {

    private static final double Z = 1.959964;

    public static Proportion of(long count, long of) {
        if (of <= 0) {
            return new Proportion(count, of, null, null, null);
        }
        double p = (double) count / of;
        double z2 = Z * Z;
        double denominator = 1 + z2 / of;
        double centre = (p + z2 / (2.0 * of)) / denominator;
        double half = Z * Math.sqrt(p * (1 - p) / of + z2 / (4.0 * of * of)) / denominator;
        return new Proportion(count, of, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
