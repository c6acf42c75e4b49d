package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** People reached and bookings for one region or language; small cells are merged into "other". */
@Serdeable
public record AudienceRow(String key, long reached, long booked, @Nullable Double conversionRate) {

    static AudienceRow of(String key, long reached, long booked) {
        return new AudienceRow(key, reached, booked, reached == 0 ? null : (double) booked / reached);
    }
}
