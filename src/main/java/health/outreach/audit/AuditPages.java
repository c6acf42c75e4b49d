package health.outreach.audit;

import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.HashMap;
import java.util.Map;

/** The audit log for administrators: who changed consent, exported a report, edited a campaign, and when. */
@Controller("/admin/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class AuditPages {

    private final AuditTrail trail;
    private final AdminPages pages;

    AuditPages(AuditTrail trail, AdminPages pages) {
        this.trail = trail;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String entityType, @Nullable @QueryValue String entityId) {
        String type = blankOrLong(entityType, 32);
        String id = blankOrLong(entityId, 64);
        Map<String, Object> model = new HashMap<>();
        model.put("entries", trail.recent(type, id, 200));
        model.put("entityType", type == null ? "" : type);
        model.put("entityId", id == null ? "" : id);
        return pages.page(request, "audit/list", model);
    }

    private static String blankOrLong(String value, int max) {
        return value == null || value.isBlank() || value.length() > max ? null : value.strip();
    }
}
