package health.outreach.report;

import health.outreach.config.PublicUrlCheck;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.util.List;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The admin UI's front page: the last 7, 30, 90 or 365 days at a glance and every campaign's
 * headline, from the counters.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class DashboardPage {

    /** The periods offered; anything else asked for is the default 30 days. */
    private static final List<String> PERIODS = List.of("7", "30", "90", "365");

    private final Overview overview;
    private final AdminPages pages;
    private final Clock clock;
    private final PublicUrlCheck publicUrl;

    DashboardPage(Overview overview, AdminPages pages, Clock clock, PublicUrlCheck publicUrl) {
        this.overview = overview;
        this.publicUrl = publicUrl;
        this.pages = pages;
        this.clock = clock;
    }

    @Get
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create("/admin"));
    }

    @Get(value = "/admin", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
    HttpResponse<?> dashboard(HttpRequest<?> request, @Nullable @QueryValue String days) {
        int period = days != null && PERIODS.contains(days) ? Integer.parseInt(days) : 30;
        LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return pages.page(request, "dashboard", Map.of("report", overview.between(to.minusDays(period - 1L), to),
                "publicUrlWarning", publicUrl.warning().orElse(""), "days", period, "periods", PERIODS));
    }
}
