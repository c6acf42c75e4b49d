package health.outreach.contact;

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

/**
 * {@code POST /api/v1/contacts/import}: a CSV body is spooled and checked; a malformed file is a 400
 * problem and writes nothing; a good one answers 202 with the import report to poll.
 */
@Controller("/api/v1/contacts/import")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class ContactImportController {

    private final ContactImporter importer;
    private final ImportIntake intake;

    ContactImportController(ContactImporter importer, ImportIntake intake) {
        this.importer = importer;
        this.intake = intake;
    }

    @Post(consumes = {"text/csv", "application/csv"})
    HttpResponse<ImportReport> upload(@Nullable @Body InputStream body) {
        return intake.accept(body, importer, "contacts.import", plan -> Map.of("rows", plan.rows()));
    }
}
