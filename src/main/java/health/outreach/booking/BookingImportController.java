package health.outreach.booking;

import health.outreach.imports.ImportIntake;
import health.outreach.imports.ImportReport;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.io.InputStream;
import java.util.Map;

/** {@code POST /api/v1/bookings/import}: a clinic's CSV; 202 with a row-by-row report to poll. */
@Controller("/api/v1/bookings/import")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class BookingImportController {

    private final BookingImporter importer;
    private final ImportIntake intake;

    BookingImportController(BookingImporter importer, ImportIntake intake) {
        this.importer = importer;
        this.intake = intake;
    }

    @Post(consumes = {"text/csv", "application/csv"})
    HttpResponse<ImportReport> upload(@Nullable @Body InputStream body) {
        return intake.accept(body, importer, "bookings.import", header -> Map.of());
    }
}
