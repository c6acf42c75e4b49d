package health.outreach.security;

import health.outreach.audit.AuditLog;
import health.outreach.common.Zones;
import health.outreach.program.ProgramService;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The signed-in person's own settings: the time zone every admin page shows times in. */
@Controller("/admin/account")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class AccountPages {

    private final UserZones zones;
    private final ProgramService program;
    private final AdminPages pages;
    private final AuditLog audit;

    AccountPages(UserZones zones, ProgramService program, AdminPages pages, AuditLog audit) {
        this.zones = zones;
        this.program = program;
        this.pages = pages;
        this.audit = audit;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, Principal me) {
        return page(request, HttpStatus.OK, zones.own(me.getName()).orElse(""), null);
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> save(HttpRequest<?> request, Principal me, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        String zone = Forms.first(form, "timeZone");
        if (!zones.set(me.getName(), zone)) {
            return page(request, HttpStatus.UNPROCESSABLE_ENTITY, zone == null ? "" : zone.length() > 64 ? zone.substring(0, 64) : zone,
                    Zones.problem(zone));
        }
        audit.record("user.time-zone", "user", me.getName(), Map.of("timeZone", zone == null || zone.isBlank() ? "program" : zone.strip()));
        return HttpResponse.seeOther(URI.create("/admin/account?notice=saved"));
    }

    private HttpResponse<?> page(HttpRequest<?> request, HttpStatus status, String zone, @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("timeZone", zone);
        model.put("programZone", program.current().defaultTimeZone());
        model.put("zones", Zones.REGIONS);
        model.put("zoneError", error == null ? "" : error);
        return pages.page(request, status, "account", model);
    }
}
