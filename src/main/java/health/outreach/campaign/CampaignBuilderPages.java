package health.outreach.campaign;

import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.Durations;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.common.Zones;
import health.outreach.program.ProgramService;
import health.outreach.security.Roles;
import health.outreach.segment.SegmentService;
import health.outreach.segment.SegmentView;
import health.outreach.template.TemplateService;
import health.outreach.template.TemplateViews;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import health.outreach.web.PageErrors;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The campaign builder: three short pages, each saving the draft. 1. who and when (name, audience
 * with its size, launch time; the rest folded away); 2. the steps (a message, how long to wait, the
 * time of the person's day); 3. the review, which says who gets what and when and schedules on an
 * explicit confirm. Every page goes through {@link CampaignService}, the same rules as the API.
 */
@Controller("/admin/campaigns")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class CampaignBuilderPages {

    private final CampaignService campaigns;
    private final CampaignReview review;
    private final SegmentService segments;
    private final TemplateService templates;
    private final ProgramService program;
    private final AdminPages pages;
    private final Validation validation;

    CampaignBuilderPages(CampaignService campaigns, CampaignReview review, SegmentService segments, TemplateService templates,
                         ProgramService program, AdminPages pages, Validation validation) {
        this.campaigns = campaigns;
        this.review = review;
        this.segments = segments;
        this.templates = templates;
        this.program = program;
        this.pages = pages;
        this.validation = validation;
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    HttpResponse<?> newCampaign(HttpRequest<?> request) {
        var p = program.current();
        return settingsPage(request, HttpStatus.OK, null, CampaignSettingsForm.blank(p.defaultTimeZone(), p.defaultLocale()),
                PageErrors.none());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        return saveSettings(request, null, body);
    }

    @Get(value = "/{id}/edit", produces = MediaType.TEXT_HTML)
    HttpResponse<?> edit(HttpRequest<?> request, long id) {
        CampaignViews.View c = campaigns.get(id);
        if (c.status() != CampaignStatus.DRAFT) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id));
        }
        return settingsPage(request, HttpStatus.OK, c, CampaignSettingsForm.of(c), PageErrors.none());
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        return saveSettings(request, id, body);
    }

    @Get(value = "/{id}/steps", produces = MediaType.TEXT_HTML)
    HttpResponse<?> steps(HttpRequest<?> request, long id) {
        CampaignViews.View c = campaigns.get(id);
        if (c.status() != CampaignStatus.DRAFT) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id));
        }
        return stepsPage(request, HttpStatus.OK, c, CampaignStepsForm.of(c), PageErrors.none());
    }

    @Post(value = "/{id}/steps", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> saveSteps(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 400);
        CampaignViews.View c = campaigns.get(id);
        if (c.status() != CampaignStatus.DRAFT) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id));
        }
        Map<Long, Channel> channels = new HashMap<>();
        templates.list().forEach(t -> channels.put(t.id(), t.channel()));
        boolean addStep = Forms.first(form, "addStep") != null;
        CampaignStepsForm.Parsed parsed = CampaignStepsForm.parse(form, channels, CampaignSettingsForm.zone(c.timeZone()), addStep);
        if (addStep) {
            return stepsPage(request, HttpStatus.OK, c, parsed.rows(), PageErrors.none());
        }
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        if (parsed.steps().isEmpty() && errors.isEmpty()) {
            errors.add(FieldError.of("steps", "choose the message of at least one step"));
        }
        CampaignViews.Form full = withSteps(c, keepVariants(c, parsed.steps()));
        List<FieldError> saved = save(errors, full, () -> campaigns.update(id, full).id()).errors();
        if (saved.isEmpty()) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id + "/review"));
        }
        return stepsPage(request, HttpStatus.UNPROCESSABLE_ENTITY, c, parsed.rows(),
                PageErrors.of(saved, CampaignStepsForm::target));
    }

    @Get(value = "/{id}/review", produces = MediaType.TEXT_HTML)
    HttpResponse<?> review(HttpRequest<?> request, long id) {
        CampaignViews.View c = campaigns.get(id);
        if (c.status() != CampaignStatus.DRAFT) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id));
        }
        Map<Long, String> names = new HashMap<>();
        templates.list().forEach(t -> names.put(t.id(), t.name()));
        Map<String, Object> model = new HashMap<>();
        model.put("c", c);
        model.put("segment", segments.get(c.segmentId()).map(SegmentView::name).orElse("Segment " + c.segmentId()));
        model.put("r", review.of(c, names));
        model.put("problems", campaigns.launchProblems(id));
        return pages.page(request, "campaigns/review", model);
    }

    private HttpResponse<?> saveSettings(HttpRequest<?> request, @Nullable Long id, @Nullable String body) {
        Map<String, List<String>> form = Forms.parse(body, 40);
        CampaignViews.View existing = id == null ? null : campaigns.get(id);
        if (existing != null && existing.status() != CampaignStatus.DRAFT) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + id));
        }
        CampaignSettingsForm.Parsed parsed = CampaignSettingsForm.parse(form, existing == null ? List.of() : stepForms(existing));
        Saved saved = save(new ArrayList<>(parsed.errors()), parsed.form(), () -> id == null
                ? campaigns.create(parsed.form(), AuditLog.currentActor()).id()
                : campaigns.update(id, parsed.form()).id());
        if (saved.errors().isEmpty()) {
            return HttpResponse.seeOther(URI.create("/admin/campaigns/" + saved.id() + "/steps"));
        }
        return settingsPage(request, HttpStatus.UNPROCESSABLE_ENTITY, existing, parsed.values(),
                PageErrors.of(plain(saved.errors()), CampaignSettingsForm::target));
    }

    /** The saved campaign's id, or what stopped the save. */
    private record Saved(@Nullable Long id, List<FieldError> errors) {
    }

    /**
     * Everything wrong at once: what the page could not read and the form's constraints, then
     * (once those hold) the service's own checks; saves when nothing is wrong.
     */
    private Saved save(List<FieldError> errors, CampaignViews.Form form, Supplier<Long> saving) {
        List<FieldError> constraints = validation.check(form);
        errors.addAll(constraints);
        if (constraints.isEmpty()) {
            errors.addAll(campaigns.problems(form));
        }
        if (errors.isEmpty()) {
            try {
                return new Saved(saving.get(), List.of());
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY && e.status() != HttpStatus.CONFLICT) {
                    throw e;
                }
                errors.addAll(e.errors().isEmpty() ? List.of(FieldError.of("name", e.getMessage())) : e.errors());
            }
        }
        return new Saved(null, errors);
    }

    /** Bean validation speaks of "must not be null"; a coordinator reads what to do. */
    private static List<FieldError> plain(List<FieldError> errors) {
        return errors.stream().map(e -> switch (e.field() == null ? "" : e.field()) {
            case "name" -> e.message().startsWith("must not") ? FieldError.of("name", "give the campaign a name") : e;
            case "segmentId" -> e.message().startsWith("must not") ? FieldError.of("segmentId", "choose who the campaign is for") : e;
            default -> e;
        }).toList();
    }

    private HttpResponse<?> settingsPage(HttpRequest<?> request, HttpStatus status, @Nullable CampaignViews.View c,
                                         Map<String, String> values, PageErrors errors) {
        List<SegmentView> all = segments.list();
        Map<String, Object> model = new HashMap<>();
        model.put("id", c == null ? "" : Long.toString(c.id()));
        model.put("v", values);
        model.put("errors", errors);
        model.put("moreOpen", errors.anyAt(CampaignSettingsForm.MORE));
        model.put("segments", all);
        Map<String, Long> counts = new HashMap<>();
        segments.recentCounts(all).forEach((k, n) -> counts.put(Long.toString(k), n));
        model.put("counts", counts);
        model.put("zones", Zones.REGIONS);
        return pages.page(request, status, "campaigns/settings", model);
    }

    private HttpResponse<?> stepsPage(HttpRequest<?> request, HttpStatus status, CampaignViews.View c,
                                      List<Map<String, String>> rows, PageErrors errors) {
        Map<String, List<TemplateViews.Summary>> byChannel = new LinkedHashMap<>();
        byChannel.put("Email", new ArrayList<>());
        byChannel.put("SMS", new ArrayList<>());
        templates.list().stream().filter(t -> !t.archived())
                .forEach(t -> byChannel.get(t.channel() == Channel.EMAIL ? "Email" : "SMS").add(t));
        Map<String, Object> model = new HashMap<>();
        model.put("c", c);
        model.put("rows", rows);
        model.put("errors", errors);
        model.put("templatesByChannel", byChannel);
        model.put("units", Durations.UNITS);
        model.put("maxSteps", CampaignStepsForm.MAX_STEPS);
        return pages.page(request, status, "campaigns/steps", model);
    }

    private static List<CampaignViews.StepForm> stepForms(CampaignViews.View c) {
        return c.steps().stream().map(s -> new CampaignViews.StepForm(s.channel(), s.templateId(), s.templateVersion(), s.at(),
                s.afterEnrollment(), s.relativeTo(), s.sendHour(), variantForms(s), s.testPercent(), s.testWait(), s.winnerMetric(),
                s.minPerVariant(), s.fallback())).toList();
    }

    private static List<CampaignViews.VariantForm> variantForms(CampaignViews.Step s) {
        return s.variants().isEmpty() ? null : s.variants().stream()
                .map(v -> new CampaignViews.VariantForm(v.templateId(), v.templateVersion(), v.percent())).toList();
    }

    /**
     * The page edits a step's message and timing, not its variants or their test (set through the
     * API): a saved step that keeps its message keeps its variants, their test and its pinned versions.
     */
    private static List<CampaignViews.StepForm> keepVariants(CampaignViews.View c, List<CampaignViews.StepForm> steps) {
        List<CampaignViews.StepForm> kept = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            CampaignViews.StepForm s = steps.get(i);
            CampaignViews.Step saved = i < c.steps().size() ? c.steps().get(i) : null;
            if (saved != null && !saved.variants().isEmpty() && java.util.Objects.equals(saved.templateId(), s.templateId())) {
                s = new CampaignViews.StepForm(s.channel(), s.templateId(), saved.templateVersion(), s.at(), s.afterEnrollment(),
                        s.relativeTo(), s.sendHour(), variantForms(saved), saved.testPercent(), saved.testWait(),
                        saved.winnerMetric(), saved.minPerVariant(), saved.fallback());
            }
            kept.add(s);
        }
        return kept;
    }

    private static CampaignViews.Form withSteps(CampaignViews.View c, List<CampaignViews.StepForm> steps) {
        return new CampaignViews.Form(c.name(), c.segmentId(), c.defaultLocale(), c.timeZone(), steps, c.enrollment(), c.cron(),
                c.holdoutPercent(), c.attributionWindowDays(), c.startsAt());
    }
}
