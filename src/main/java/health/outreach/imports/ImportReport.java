package health.outreach.imports;

import health.outreach.common.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** What an import did, row by row: pollable at {@code GET /api/v1/imports/{id}} while it runs. */
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
                           @Nullable Instant finishedAt) {
}
