package health.outreach.campaign;

import health.outreach.audit.AuditLog;
import health.outreach.delivery.UnknownOutcomes;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.segment.SegmentService;
import health.outreach.template.TemplateService;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
 * Campaigns in the admin UI: the list, the page of one campaign with live progress, its actions
 * (each that sends or cannot be undone behind a confirmation) and its messages; building and
 * editing a draft is {@link CampaignBuilderPages}. Everything goes through
 * {@link CampaignService}, the same rules and audit as the API.
 */
@Controller("/admin/campaigns")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class CampaignPages {

    private static final Set<String> ACTIONS = Set.of("schedule", "pause", "resume", "cancel", "retry-failed", "delete",
            "unknown-resend", "unknown-mark-sent", "duplicate");
    /** Actions that send to people or cannot be undone: each goes through a confirmation page. */
    private static final Set<String> CONFIRMED = Set.of("schedule", "cancel", "delete", "unknown-resend");
    private static final Set<String> STATUSES = Set.of("PENDING", "SENDING", "SENT", "DELIVERED", "FAILED", "BOUNCED", "UNKNOWN",
            "SKIPPED", "CANCELLED");
    private static final int MESSAGES_PER_PAGE = 50;

    private final CampaignService campaigns;
    private final SegmentService segments;
    private final TemplateService templates;
    private final AdminPages pages;

    CampaignPages(CampaignService campaigns, SegmentService segments, TemplateService templates, AdminPages pages) {
        this.campaigns = campaigns;
        this.segments = segments;
        this.templates = templates;
        this.pages = pages;
    }

    /** {@code ?q=} finds names; {@code ?status=} shows one state. */
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String status) {
        String words = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        String state = status == null ? "" : status.strip().toUpperCase(Locale.ROOT);
        List<CampaignViews.View> shown = campaigns.list().stream()
                .filter(c -> words.isEmpty() || c.name().toLowerCase(Locale.ROOT).contains(words))
                .filter(c -> state.isEmpty() || c.status().name().equals(state))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("campaigns", shown);
        model.put("segments", segmentNames());
        model.put("q", q == null ? "" : q.length() > 100 ? q.substring(0, 100) : q);
        model.put("status", state);
        model.put("states", List.of(CampaignStatus.values()));
        return pages.page(request, "campaigns/list", model);
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
        model.put("stepProgress", campaigns.stepProgress(id));
        return pages.page(request, "campaigns/detail", model);
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
        if (action.equals("schedule")) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id + "/review")); // the review is its confirmation
        }
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
        if (CONFIRMED.contains(action) && !"yes".equals(Forms.first(form, "confirmed"))) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id + "/confirm/" + action));
        }
        Instant startsAt = campaigns.get(id).startsAt();
        boolean launchesNow = startsAt == null || !startsAt.isAfter(Instant.now());
        switch (action) {
            case "duplicate" -> {
                long copy = campaigns.duplicate(id, AuditLog.currentActor()).id();
                return HttpResponse.seeOther(URI.create("/admin/campaigns/" + copy + "/edit?notice=duplicated"));
            }
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
