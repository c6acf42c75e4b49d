package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Whole days from enrollment to booking for a campaign's attributed bookings: median, p75 and a histogram. */
@Serdeable
public record DaysToBooking(@Nullable Integer median, @Nullable Integer p75, List<Bucket> histogram) {

    @Serdeable
    public record Bucket(int days, long bookings) {
    }

    /** @param histogram buckets in ascending order of days */
    static DaysToBooking of(List<Bucket> histogram) {
        long total = histogram.stream().mapToLong(Bucket::bookings).sum();
        return new DaysToBooking(percentile(histogram, total, 0.5), percentile(histogram, total, 0.75), histogram);
    }

    /** The smallest day count with at least {@code q} of the bookings at or below it (nearest rank). */
    static Integer percentile(List<Bucket> histogram, long total, double q) {
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (Bucket b : histogram) {
            seen += b.bookings();
            if (seen >= rank) {
                return b.days();
            }
        }
        return histogram.get(histogram.size() - 1).days();
    }
}
