package health.outreach.imports;

import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.Map;

/**
 * An import's report in the admin UI, the page twin of {@code GET /api/v1/imports/{id}}: totals and
 * the row-by-row errors. While the import runs the page reloads itself every two seconds (a meta
 * refresh: these pages run no script).
 */
@Controller("/admin/imports")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ImportPages {

    private final ImportJobs jobs;
    private final AdminPages pages;

    ImportPages(ImportJobs jobs, AdminPages pages) {
        this.jobs = jobs;
        this.pages = pages;
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id) {
        ImportReport report = jobs.find(id).orElseThrow(() -> ProblemException.notFound("Import", id));
        return pages.page(request, "imports/report", Map.of("r", report, "running", "RUNNING".equals(report.status())));
    }
}
