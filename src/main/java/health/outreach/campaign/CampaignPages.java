package health.outreach.campaign;

import health.outreach.common.Zones;
import health.outreach.audit.AuditLog;
import health.outreach.common.FieldError;
import health.outreach.delivery.UnknownOutcomes;
import health.outreach.common.ProblemException;
import health.outreach.program.ProgramService;
import health.outreach.security.Roles;
import health.outreach.segment.SegmentService;
import health.outreach.template.TemplateService;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import health.outreach.web.Validation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Campaigns in the admin UI: the list, the form (create, and edit while DRAFT), the page of one
 * campaign with live progress, its actions and its messages. Everything goes through
 * {@link CampaignService}, the same rules and audit as the API.
 */
@Controller("/admin/campaigns")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class CampaignPages {

    private static final Set<String> ACTIONS = Set.of("schedule", "pause", "resume", "cancel", "retry-failed", "delete",
            "unknown-resend", "unknown-mark-sent");
    /** Actions that send to people or cannot be undone: each goes through a confirmation page. */
    private static final Set<String> CONFIRMED = Set.of("schedule", "cancel", "delete", "unknown-resend");
    private static final Set<String> STATUSES = Set.of("PENDING", "SENDING", "SENT", "DELIVERED", "FAILED", "BOUNCED", "UNKNOWN",
            "SKIPPED", "CANCELLED");
    private static final int MESSAGES_PER_PAGE = 50;

    private final CampaignService campaigns;
    private final SegmentService segments;
    private final TemplateService templates;
    private final ProgramService program;
    private final AdminPages pages;
    private final Validation validation;

    CampaignPages(CampaignService campaigns, SegmentService segments, TemplateService templates, ProgramService program,
                  AdminPages pages, Validation validation) {
        this.campaigns = campaigns;
        this.segments = segments;
        this.templates = templates;
        this.program = program;
        this.pages = pages;
        this.validation = validation;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request) {
        return pages.page(request, "campaigns/list", Map.of("campaigns", campaigns.list(), "segments", segmentNames()));
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> newForm(HttpRequest<?> request) {
        return form(request, HttpStatus.OK, null, CampaignPageForm.blank(program.current().defaultTimeZone()), List.of());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        return save(request, null, body);
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id, @Nullable @QueryValue String status, @Nullable @QueryValue Integer page) {
        CampaignViews.View c = campaigns.get(id);
        String filter = status != null && STATUSES.contains(status.toUpperCase(Locale.ROOT)) ? status.toUpperCase(Locale.ROOT) : null;
        int p = page == null || page < 0 ? 0 : Math.min(page, 100_000);
        List<CampaignViews.MessageRow> messages = campaigns.messages(id, filter, p * MESSAGES_PER_PAGE, MESSAGES_PER_PAGE + 1);
        Map<String, Object> model = new HashMap<>();
        model.put("c", c);
        model.put("segment", segments.get(c.segmentId()).map(s -> s.name()).orElse("#" + c.segmentId()));
        model.put("templates", templateNames());
        model.put("actions", actions(c));
        model.put("messages", messages.subList(0, Math.min(messages.size(), MESSAGES_PER_PAGE)));
        model.put("hasMore", messages.size() > MESSAGES_PER_PAGE);
        model.put("page", p);
        model.put("filter", filter == null ? "" : filter);
        model.put("statuses", new TreeSet<>(STATUSES));
        model.put("possibleDuplicates", campaigns.possibleDuplicates(id));
        return pages.page(request, "campaigns/detail", model);
    }

    @Get(value = "/{id}/edit", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> edit(HttpRequest<?> request, long id) {
        CampaignViews.View c = campaigns.get(id);
        if (c.status() != CampaignStatus.DRAFT) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id));
        }
        return form(request, HttpStatus.OK, id, CampaignPageForm.of(c), List.of());
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        return save(request, id, body);
    }

    /**
     * What happens if the coordinator goes on, before an action that sends to people or cannot be
     * undone: the page's button posts the action with {@code confirmed=yes}.
     */
    @Get(value = "/{id}/confirm/{action}", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> confirm(HttpRequest<?> request, long id, String action) {
        if (!CONFIRMED.contains(action)) {
            throw ProblemException.notFound("Action", action.length() > 30 ? action.substring(0, 30) : action);
        }
        CampaignViews.View c = campaigns.get(id);
        Map<String, Object> model = new HashMap<>();
        model.put("c", c);
        model.put("action", action);
        model.put("audience", segments.count(c.segmentId()));
        model.put("pending", c.progress().getOrDefault("PENDING", 0L));
        model.put("unknown", c.progress().getOrDefault("UNKNOWN", 0L));
        return pages.page(request, "campaigns/confirm", model);
    }

    /** schedule | pause | resume | cancel | retry-failed | delete, as buttons on the campaign's page. */
    @Post(value = "/{id}/{action}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> act(HttpRequest<?> request, long id, String action, @Nullable @Body String body) {
        if (!ACTIONS.contains(action)) {
            throw ProblemException.notFound("Action", action.length() > 30 ? action.substring(0, 30) : action);
        }
        Map<String, List<String>> form = Forms.parse(body, 10);
        if (!pages.acceptsForm(request, form)) {
            return pages.refusedForm(request, "changed");
        }
        if (CONFIRMED.contains(action) && !"yes".equals(Forms.first(form, "confirmed"))) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id + "/confirm/" + action));
        }
        Instant startsAt = campaigns.get(id).startsAt();
        boolean launchesNow = startsAt == null || !startsAt.isAfter(Instant.now());
        switch (action) {
            case "delete" -> {
                campaigns.delete(id);
                return HttpResponse.seeOther(URI.create("/admin/campaigns?notice=deleted"));
            }
            case "retry-failed" -> campaigns.retryFailed(id);
            case "unknown-resend" -> campaigns.resolveUnknown(id, List.of(), UnknownOutcomes.Resolution.RESEND);
            case "unknown-mark-sent" -> campaigns.resolveUnknown(id, List.of(), UnknownOutcomes.Resolution.MARK_SENT);
            default -> campaigns.act(id, action);
        }
        String notice = switch (action) {
            case "schedule" -> launchesNow ? "scheduled-now" : "scheduled";
            case "pause" -> "paused";
            case "resume" -> "resumed";
            case "cancel" -> "cancelled";
            case "unknown-resend" -> "unknown-resent";
            case "unknown-mark-sent" -> "unknown-marked";
            default -> "retried";
        };
        return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id + "?notice=" + notice));
    }

    private HttpResponse<?> save(HttpRequest<?> request, @Nullable Long id, @Nullable String body) {
        Map<String, List<String>> form = Forms.parse(body, 500);
        if (!pages.acceptsForm(request, form)) {
            return pages.refusedForm(request, "saved");
        }
        boolean addStep = Forms.first(form, "addStep") != null;
        CampaignPageForm.Parsed parsed = CampaignPageForm.parse(form, addStep);
        if (addStep) {
            return form(request, HttpStatus.OK, id, parsed.values(), List.of());
        }
        // Everything wrong at once: what could not be read, the form's constraints, then (once those
        // hold) the service's own checks of segment, zone, templates and timing.
        List<FieldError> errors = new java.util.ArrayList<>(parsed.errors());
        List<FieldError> constraints = validation.check(parsed.form());
        errors.addAll(constraints);
        if (constraints.isEmpty()) {
            errors.addAll(campaigns.problems(parsed.form()));
        }
        if (errors.isEmpty()) {
            try {
                long saved = id == null ? campaigns.create(parsed.form(), AuditLog.currentActor()).id() : campaigns.update(id, parsed.form()).id();
                return HttpResponse.seeOther(URI.create("/admin/campaigns/" + saved + "?notice=" + (id == null ? "created" : "saved")));
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY) {
                    throw e;
                }
                errors.addAll(e.errors());
            }
        }
        return form(request, HttpStatus.UNPROCESSABLE_ENTITY, id, parsed.values(), errors);
    }

    private HttpResponse<?> form(HttpRequest<?> request, HttpStatus status, @Nullable Long id, Map<String, Object> values,
                                 List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("id", id == null ? "" : id.toString());
        model.put("v", values);
        model.put("errors", errors);
        model.put("segments", segments.list());
        model.put("templates", templates.list().stream().filter(t -> !t.archived()).toList());
        model.put("timings", CampaignPageForm.TIMINGS);
        model.put("zones", Zones.REGIONS);
        return pages.page(request, status, "campaigns/form", model);
    }

    /** What the signed-in user sees as buttons for the campaign's state (the service still decides). */
    private static List<String> actions(CampaignViews.View c) {
        List<String> actions = new java.util.ArrayList<>();
        for (String a : List.of("schedule", "pause", "resume", "cancel")) {
            if (c.status().after(a) != null) {
                actions.add(a);
            }
        }
        if (c.progress().getOrDefault("FAILED", 0L) > 0 && c.status() != CampaignStatus.CANCELLED) {
            actions.add("retry-failed");
        }
        if (c.status() == CampaignStatus.DRAFT) {
            actions.add("delete");
        }
        return actions;
    }

    private Map<String, String> segmentNames() {
        Map<String, String> names = new HashMap<>();
        segments.list().forEach(s -> names.put(Long.toString(s.id()), s.name()));
        return names;
    }

    private Map<String, String> templateNames() {
        Map<String, String> names = new HashMap<>();
        templates.list().forEach(t -> names.put(Long.toString(t.id()), t.name()));
        return names;
    }
}
