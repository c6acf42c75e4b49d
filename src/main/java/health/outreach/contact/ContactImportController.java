package health.outreach.contact;

import health.outreach.audit.AuditLog;
import health.outreach.imports.CsvUpload;
import health.outreach.imports.ImportJobs;
import health.outreach.imports.ImportReport;
import health.outreach.imports.ImportSettings;
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
import java.net.URI;
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
    private final ImportJobs jobs;
    private final ImportSettings settings;
    private final AuditLog audit;

    ContactImportController(ContactImporter importer, ImportJobs jobs, ImportSettings settings, AuditLog audit) {
        this.importer = importer;
        this.jobs = jobs;
        this.settings = settings;
        this.audit = audit;
    }

    @Post(consumes = {"text/csv", "application/csv"})
    HttpResponse<ImportReport> upload(@Nullable @Body InputStream body) {
        CsvUpload upload = CsvUpload.spool(body == null ? InputStream.nullInputStream() : body, settings.maxBytes());
        ContactImporter.Plan plan;
        try {
            plan = importer.check(upload);
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
        long jobId = importer.start(upload, plan, AuditLog.currentActor());
        audit.record("contacts.import", "import_job", jobId, Map.of("rows", plan.rows()));
        return HttpResponse.accepted(URI.create("/api/v1/imports/" + jobId)).body(jobs.find(jobId).orElseThrow());
    }
}
