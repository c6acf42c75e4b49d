package health.outreach.program;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The region names reports show for postal-code prefixes: a list to add to, rename and delete from.
 * Everyone signed in reads it; coordinators and administrators change it.
 */
@Controller("/admin/regions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class RegionPages {

    private final RegionNames regions;
    private final AdminPages pages;

    RegionPages(RegionNames regions, AdminPages pages) {
        this.regions = regions;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request) {
        return page(request, HttpStatus.OK, Map.of("prefix", "", "name", ""), List.of());
    }

    /** Adds a name, or renames a prefix that has one (the rows' own forms post here too). */
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> save(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        String prefix = text(form, "prefix");
        String name = text(form, "name");
        try {
            regions.save(prefix, name);
            return HttpResponse.seeOther(URI.create("/admin/regions?notice=saved"));
        } catch (ProblemException e) {
            return page(request, HttpStatus.UNPROCESSABLE_ENTITY, Map.of("prefix", prefix, "name", name), e.errors());
        }
    }

    @Post(value = "/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> delete(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        regions.delete(Forms.first(form, "prefix"));
        return HttpResponse.seeOther(URI.create("/admin/regions?notice=deleted"));
    }

    private HttpResponse<?> page(HttpRequest<?> request, HttpStatus status, Map<String, String> typed, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("regions", regions.list());
        model.put("prefixLength", regions.prefixLength());
        model.put("v", typed);
        model.put("errors", errors);
        return pages.page(request, status, "regions/list", model);
    }

    private static String text(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.strip();
    }
}
