package health.outreach.report;

import health.outreach.events.CounterRebuild;
import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import health.outreach.security.Role;
import health.outreach.security.Roles;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Conversion reports. Every role reads them (managers for the program, coordinators for the
 * campaigns they run); only an admin recounts the counters. Numbers only, never people.
 */
@Controller("/api/v1/reports")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ReportController {

    private static final int MAX_RANGE_DAYS = 3660;

    private final Reports reports;
    private final Overview overview;
    private final CounterRebuild rebuild;
    private final AuditLog audit;
    private final Clock clock;
    private final Exports exports;

    ReportController(Reports reports, Overview overview, CounterRebuild rebuild, AuditLog audit, Clock clock, Exports exports) {
        this.exports = exports;
        this.reports = reports;
        this.overview = overview;
        this.rebuild = rebuild;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code /campaigns/{id}} is JSON; {@code /campaigns/{id}.csv} is the same report as CSV (audited). */
    @Get(value = "/campaigns/{ref}", produces = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> campaign(String ref) {
        boolean csv = ref.endsWith(".csv");
        long id = parseId(csv ? ref.substring(0, ref.length() - 4) : ref);
        Reports.CampaignReport report = reports.campaign(id);
        if (!csv) {
            return HttpResponse.ok(report).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        audit.record("reports.export", "campaign", id, Map.of("format", "csv"));
        return HttpResponse.ok(ReportCsv.of(report)).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-report.csv\"")
                .header("X-Content-Type-Options", "nosniff");
    }

    /** Every breakdown cell as one line: dimension, value, metric, count, base, rate and its 95% interval. */
    @Get(value = "/campaigns/{id}/tidy.csv", produces = "text/csv")
    HttpResponse<?> tidy(long id) {
        return exports.tidy(id, "api");
    }

    /** The campaign's bookings, one line each; names only for roles that may see them. */
    @Get(value = "/campaigns/{id}/bookings.csv", produces = "text/csv")
    HttpResponse<?> bookings(long id, Authentication user) {
        return exports.bookings(id, Role.of(user.getRoles().stream().findFirst().orElse(null)), "api");
    }

    @Get("/overview")
    Overview.Report overview(@Nullable @QueryValue String from, @Nullable @QueryValue String to) {
        LocalDate end = date(to, "to", LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        LocalDate start = date(from, "from", end.minusDays(29));
        if (start.isAfter(end) || start.plusDays(MAX_RANGE_DAYS).isBefore(end)) {
            throw ProblemException.invalid("from", "must be on or before 'to', at most " + MAX_RANGE_DAYS + " days earlier");
        }
        return overview.between(start, end);
    }

    /** Recounts every campaign's counters from raw events; {@code apply=true} repairs the drift it lists. */
    @Post("/rebuild")
    @Secured(Roles.ADMIN)
    CounterRebuild.Result rebuild(@Nullable @QueryValue Boolean apply) {
        CounterRebuild.Result result = rebuild.all(Boolean.TRUE.equals(apply));
        audit.record("reports.rebuild", "report_counter", "all", Map.of("applied", result.applied(), "drift", result.drift().size()));
        return result;
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Campaign", s.length() > 40 ? s.substring(0, 40) : s);
        }
    }

    private static LocalDate date(@Nullable String value, String field, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date like 2026-11-01");
        }
    }
}
