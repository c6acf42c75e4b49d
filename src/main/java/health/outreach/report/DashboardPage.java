package health.outreach.report;

import health.outreach.config.PublicUrlCheck;
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
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/** The admin UI's front page: the last 30 days at a glance and every campaign's headline, from the counters. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class DashboardPage {

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
    HttpResponse<?> dashboard(HttpRequest<?> request) {
        LocalDate to = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return pages.page(request, "dashboard", Map.of("report", overview.between(to.minusDays(29), to),
                "publicUrlWarning", publicUrl.warning().orElse("")));
    }
}
