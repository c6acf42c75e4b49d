package health.outreach.report;

import health.outreach.audit.AuditLog;
import health.outreach.security.Role;
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
 * A campaign's conversion report for program managers: the funnel, lift over the holdout, days to
 * booking and the breakdowns, read from the counters; and the same report as CSV, audited as an
 * export like the API's.
 */
@Controller("/admin/campaigns/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ReportPages {

    private final Reports reports;
    private final AuditLog audit;
    private final AdminPages pages;
    private final Exports exports;

    ReportPages(Reports reports, AuditLog audit, AdminPages pages, Exports exports) {
        this.exports = exports;
        this.reports = reports;
        this.audit = audit;
        this.pages = pages;
    }

    @Get(value = "/report", produces = MediaType.TEXT_HTML)
    HttpResponse<?> report(HttpRequest<?> request, long id) {
        Reports.CampaignReport r = reports.campaign(id);
        return pages.page(request, "campaigns/report", Map.of("r", r,
                "messaged", Proportion.of(r.converted(), r.reached()), "holdout", Proportion.of(r.convertedHoldout(), r.holdout())));
    }

    @Get(value = "/report/tidy.csv", produces = "text/csv")
    HttpResponse<?> tidy(long id) {
        return exports.tidy(id, "admin page");
    }

    @Get(value = "/report/bookings.csv", produces = "text/csv")
    HttpResponse<?> bookings(HttpRequest<?> request, long id) {
        Role role = Role.of(pages.me(request).map(AdminPages.Me::role).orElse(null));
        return exports.bookings(id, role, "admin page");
    }

    @Get(value = "/report.csv", produces = "text/csv")
    HttpResponse<?> csv(long id) {
        Reports.CampaignReport report = reports.campaign(id);
        audit.record("reports.export", "campaign", id, Map.of("format", "csv", "via", "admin page"));
        return HttpResponse.ok(ReportCsv.of(report)).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-report.csv\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store");
    }
}
