package health.outreach.imports;

import health.outreach.common.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** What an import did, row by row: pollable at {@code GET /api/v1/imports/{id}} while it runs; {@code rowsTotal} when the file was counted first. */
@Serdeable
public record ImportReport(long id,
                           String kind,
                           String status,
                           long rowsRead,
                           long imported,
                           long updated,
                           long rejected,
                           List<FieldError> errors,
                           boolean errorsTruncated,
                           @Nullable String failure,
                           Instant createdAt,
                           @Nullable Instant finishedAt,
                           @Nullable Long rowsTotal) {

    /** Whole percent of the file's rows read so far, or null when the total is not known. */
    @Nullable
    public Long percentRead() {
        return rowsTotal == null || rowsTotal == 0 ? null : Math.min(100, Math.round(100.0 * rowsRead / rowsTotal));
    }
}
