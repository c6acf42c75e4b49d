package health.outreach.segment;

import health.outreach.audit.AuditLog;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import health.outreach.web.PageErrors;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Segments in the admin UI: who a campaign reaches. A rule is edited as rows of conditions joined
 * by ALL or ANY; a rule with nested groups (made through the API) is edited as its JSON. The count
 * is the same query a launch runs, so it is shown on the segment's own page only, never in lists.
 */
@Controller("/admin/segments")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class SegmentPages {

    private final SegmentService segments;
    private final AdminPages pages;

    SegmentPages(SegmentService segments, AdminPages pages) {
        this.segments = segments;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request) {
        List<SegmentView> all = segments.list();
        Map<String, Long> counts = new HashMap<>();
        segments.recentCounts(all).forEach((id, n) -> counts.put(Long.toString(id), n));
        return pages.page(request, "segments/list", Map.of("segments", all, "counts", counts));
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> newForm(HttpRequest<?> request) {
        return form(request, HttpStatus.OK, null, SegmentPageForm.blank(), List.of(), null);
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id) {
        SegmentView s = segments.get(id).orElseThrow(() -> ProblemException.notFound("Segment", id));
        return form(request, HttpStatus.OK, id, SegmentPageForm.of(s, segments), List.of(), segments.count(id));
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        return save(request, null, body);
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        segments.get(id).orElseThrow(() -> ProblemException.notFound("Segment", id));
        return save(request, id, body);
    }

    /** Before a delete: what uses the segment (then it cannot go, and the page links to each), or a confirmation. */
    @Get(value = "/{id}/confirm/delete", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> confirmDelete(HttpRequest<?> request, long id) {
        var segment = segments.get(id).orElseThrow(() -> ProblemException.notFound("Segment", id));
        return pages.page(request, "segments/confirm-delete", Map.of("s", segment, "users", segments.usedBy(id)));
    }

    @Post(value = "/{id}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> delete(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        if (!"yes".equals(Forms.first(form, "confirmed"))) {
            return HttpResponse.seeOther(URI.create("/admin/segments/" + id + "/confirm/delete"));
        }
        segments.delete(id);
        return HttpResponse.seeOther(URI.create("/admin/segments?notice=deleted"));
    }

    private HttpResponse<?> save(HttpRequest<?> request, @Nullable Long id, @Nullable String body) {
        Map<String, List<String>> form = Forms.parse(body, 500);
        boolean addCondition = Forms.first(form, "addCondition") != null;
        SegmentPageForm.Parsed parsed = SegmentPageForm.parse(form, addCondition, segments);
        if (addCondition) {
            return form(request, HttpStatus.OK, id, parsed.values(), List.of(), null);
        }
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        // "Count" answers how many the rule as typed holds, and saves nothing.
        if (Forms.first(form, "count") != null && errors.isEmpty()) {
            try {
                return form(request, HttpStatus.OK, id, parsed.values(), List.of(), segments.countRule(parsed.rule()));
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY) {
                    throw e;
                }
                return form(request, HttpStatus.UNPROCESSABLE_ENTITY, id, parsed.values(), e.errors(), null);
            }
        }
        String name = (String) parsed.values().get("name");
        if (name.isEmpty() || name.length() > 200) {
            errors.add(FieldError.of("name", "a name of 1 to 200 characters"));
        }
        if (errors.isEmpty()) {
            try {
                String description = (String) parsed.values().get("description");
                long saved = id == null
                        ? segments.create(name, description, parsed.rule(), AuditLog.currentActor()).id()
                        : segments.update(id, name, description, parsed.rule()).id();
                return HttpResponse.seeOther(URI.create("/admin/segments/" + saved + "?notice=" + (id == null ? "created" : "saved")));
            } catch (ProblemException e) {
                if (e.status() == HttpStatus.UNPROCESSABLE_ENTITY) {
                    errors.addAll(e.errors());
                } else if (e.status() == HttpStatus.CONFLICT) {
                    errors.add(FieldError.of("name", e.getMessage()));
                } else {
                    throw e;
                }
            }
        }
        return form(request, HttpStatus.UNPROCESSABLE_ENTITY, id, parsed.values(), errors, null);
    }

    private HttpResponse<?> form(HttpRequest<?> request, HttpStatus status, @Nullable Long id, Map<String, Object> values,
                                 List<FieldError> errors, @Nullable Long count) {
        Map<String, Object> model = new HashMap<>();
        model.put("id", id == null ? "" : id.toString());
        model.put("v", values);
        boolean rows = !"json".equals(values.get("mode"));
        model.put("errors", PageErrors.of(errors, f -> SegmentPageForm.target(f, rows)));
        model.put("fields", SegmentPageForm.fieldChoices(segments.attributes()));
        model.put("ops", SegmentPageForm.OPS);
        if (count != null) {
            model.put("count", count);
        }
        return pages.page(request, status, "segments/form", model);
    }
}
