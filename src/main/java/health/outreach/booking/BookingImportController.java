package health.outreach.booking;

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

/** {@code POST /api/v1/bookings/import}: a clinic's CSV; 202 with a row-by-row report to poll. */
@Controller("/api/v1/bookings/import")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class BookingImportController {

    private final BookingImporter importer;
    private final ImportJobs jobs;
    private final ImportSettings settings;
    private final AuditLog audit;

    BookingImportController(BookingImporter importer, ImportJobs jobs, ImportSettings settings, AuditLog audit) {
        this.importer = importer;
        this.jobs = jobs;
        this.settings = settings;
        this.audit = audit;
    }

    @Post(consumes = {"text/csv", "application/csv"})
    HttpResponse<ImportReport> upload(@Nullable @Body InputStream body) {
        CsvUpload upload = CsvUpload.spool(body == null ? InputStream.nullInputStream() : body, settings.maxBytes());
        Map<String, Integer> header;
        try {
            header = importer.check(upload);
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
        long jobId = importer.start(upload, header, AuditLog.currentActor());
        audit.record("bookings.import", "import_job", jobId, Map.of());
        return HttpResponse.accepted(URI.create("/api/v1/imports/" + jobId)).body(jobs.find(jobId).orElseThrow());
    }
}
