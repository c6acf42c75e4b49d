package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * People reached, booked and attended for one region or language; small cells are merged into
 * "other". {@code key} is the postal-code prefix or language, {@code label} the region's name where
 * the program gave it one (else the key). The rate is of the program's conversion.
 */
@Serdeable
public record AudienceRow(String key, String label, long reached, long booked, long attended, @Nullable Double conversionRate) {

    static AudienceRow of(String key, long reached, long booked) {
        return of(key, key, reached, booked, 0, booked);
    }

    static AudienceRow of(String key, String label, long reached, long booked, long attended, long converted) {
        return new AudienceRow(key, label, reached, booked, attended, reached == 0 ? null : (double) converted / reached);
    }
}
