package health.outreach.imports;

import health.outreach.audit.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;

import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/**
 * The one way a CSV upload becomes an import job: spool it (size-capped), let the importer check
 * its header before anything is written, start the job, audit it, answer 202 with the report to poll.
 */
@Singleton
public class ImportIntake {

    /** An importer of one kind of CSV; {@code P} is what its check learned (the header, a plan). */
    public interface Importer<P> {
        /** @throws RuntimeException (a problem) when the file cannot be imported at all */
        P check(CsvUpload upload);

        long start(CsvUpload upload, P checked, String actor);
    }

    private final ImportJobs jobs;
    private final ImportSettings settings;
    private final AuditLog audit;

    public ImportIntake(ImportJobs jobs, ImportSettings settings, AuditLog audit) {
        this.jobs = jobs;
        this.settings = settings;
        this.audit = audit;
    }

    public <P> HttpResponse<ImportReport> accept(@Nullable InputStream body, Importer<P> importer, String auditAction,
                                                 Function<P, Map<String, ?>> auditDetail) {
        CsvUpload upload = CsvUpload.spool(body == null ? InputStream.nullInputStream() : body, settings.maxBytes());
        P checked;
        try {
            checked = importer.check(upload);
        } catch (RuntimeException e) {
            upload.close();
            throw e;
        }
        long jobId = importer.start(upload, checked, AuditLog.currentActor());
        audit.record(auditAction, "import_job", jobId, auditDetail.apply(checked));
        return HttpResponse.accepted(URI.create("/api/v1/imports/" + jobId)).body(jobs.find(jobId).orElseThrow());
    }
}
