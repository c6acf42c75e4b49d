package health.outreach.campaign;

import health.outreach.common.Zones;
import health.outreach.common.LanguageTags;
import health.outreach.delivery.MessageChanges;
import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.delivery.UnknownOutcomes;
import health.outreach.common.ProblemException;
import health.outreach.contact.AttributeDefinitions;
import health.outreach.contact.AttributeType;
import health.outreach.program.ProgramService;
import health.outreach.events.Counters;
import health.outreach.segment.SegmentRepository;
import health.outreach.template.TemplateStore;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.quartz.CronExpression;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Campaign editing (in DRAFT only) and the state machine behind schedule, pause, resume and cancel. */
@Singleton
public class CampaignService {

    private final CampaignStore store;
    private final SegmentRepository segments;
    private final TemplateStore templates;
    private final AttributeDefinitions attributes;
    private final ProgramService program;
    private final LaunchSchedule scheduler;
    private final Counters counters;
    private final AuditLog audit;
    private final Jdbc jdbc;
    private final TransactionOperations<Connection> transactions;
    private final UnknownOutcomes unknowns;
    private final Clock clock;
    private final MessageChanges messages;
    private final VariantRules variantRules;

    public CampaignService(CampaignStore store, SegmentRepository segments, TemplateStore templates,
                           AttributeDefinitions attributes, ProgramService program, LaunchSchedule scheduler,
                           Counters counters, AuditLog audit, Jdbc jdbc, TransactionOperations<Connection> transactions,
                           UnknownOutcomes unknowns, Clock clock, MessageChanges messages, VariantRules variants) {
        this.messages = messages;
        this.variantRules = variants;
        this.store = store;
        this.unknowns = unknowns;
        this.segments = segments;
        this.templates = templates;
        this.attributes = attributes;
        this.program = program;
        this.scheduler = scheduler;
        this.counters = counters;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    public List<CampaignViews.View> list() {
        return store.list().stream().map(this::view).toList();
    }

    public CampaignViews.View get(long id) {
        return view(store.find(id).orElseThrow(() -> ProblemException.notFound("Campaign", id)));
    }

    public CampaignViews.View create(CampaignViews.Form form, String actor) {
        long id = transactions.executeWrite(status -> {
            Validated v = validate(form, false);
            long created = store.insert(form, v.locale(), v.zone(), v.mode(), actor);
            store.replaceSteps(created, v.steps());
            audit.record("campaign.create", "campaign", created, Map.of("name", form.name()));
            return created;
        });
        return get(id);
    }

    public CampaignViews.View update(long id, CampaignViews.Form form) {
        transactions.executeWrite(status -> {
            CampaignStore.CampaignRow c = store.lock(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
            if (c.status() != CampaignStatus.DRAFT) {
                throw ProblemException.conflict("Only a DRAFT campaign can be edited; this one is " + c.status());
            }
            Validated v = validate(form, false);
            store.update(id, form, v.locale(), v.zone(), v.mode());
            store.replaceSteps(id, v.steps());
            audit.record("campaign.update", "campaign", id, Map.of());
            return null;
        });
        return get(id);
    }

    /**
     * A new DRAFT with the campaign's audience, settings and steps, named "Copy of …": each step on
     * its template's current version, and no launch time (the copy is for a new run).
     */
    public CampaignViews.View duplicate(long id, String actor) {
        CampaignStore.CampaignRow c = store.find(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
        CampaignViews.Form f = formOf(c);
        String name = "Copy of " + c.name();
        List<CampaignViews.StepForm> steps = f.steps().stream().map(s -> new CampaignViews.StepForm(s.channel(), s.templateId(),
                null, s.at(), s.afterEnrollment(), s.relativeTo(), s.sendHour(), s.variants() == null ? null
                : s.variants().stream().map(v -> new CampaignViews.VariantForm(v.templateId(), null, v.percent())).toList(),
                s.testPercent(), s.testWait(), s.winnerMetric(), s.minPerVariant(), s.fallback()))
                .toList();
        return create(new CampaignViews.Form(name.length() > 200 ? name.substring(0, 200) : name, f.segmentId(), f.defaultLocale(),
                f.timeZone(), steps, f.enrollment(), f.cron(), f.holdoutPercent(), f.attributionWindowDays(), null), actor);
    }

    public void delete(long id) {
        transactions.executeWrite(status -> {
            CampaignStore.CampaignRow c = store.lock(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
            if (c.status() != CampaignStatus.DRAFT) {
                throw ProblemException.conflict("Only a DRAFT campaign can be deleted; cancel this one instead");
            }
            store.delete(id);
            audit.record("campaign.delete", "campaign", id, Map.of());
            return null;
        });
    }

    /** schedule | pause | resume | cancel: an illegal move is a 409 naming the current state. */
    public CampaignViews.View act(long id, String action) {
        CampaignStore.CampaignRow after = transactions.executeWrite(status -> {
            CampaignStore.CampaignRow c = store.lock(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
            CampaignStatus next = c.status().after(action);
            if (next == null) {
                throw ProblemException.conflict("A " + c.status() + " campaign cannot " + action);
            }
            if (action.equals("schedule")) {
                validate(formOf(c), true); // templates may have been archived since the draft was saved
                if (c.startsAt() == null || c.startsAt().isBefore(clock.instant())) {
                    store.setStartsAt(id, clock.instant());
                }
            }
            store.transition(id, c.status(), next, action.equals("pause") ? "paused by " + AuditLog.currentActor() : null);
            if (action.equals("resume")) {
                // Failures before the pause (an automatic one included) do not count against it again.
                jdbc.update("UPDATE campaign SET errors_counted_from = ? WHERE id = ?", clock.instant(), id);
            }
            if (action.equals("cancel")) {
                long cancelled = messages.cancelPending(id, clock.instant());
                audit.record("campaign.cancel", "campaign", id, Map.of("messagesCancelled", cancelled));
            } else {
                audit.record("campaign." + action, "campaign", id, Map.of());
            }
            return store.find(id).orElseThrow();
        });
        // Quartz is told after the commit; if this fails the sweep launches overdue campaigns anyway.
        switch (action) {
            case "schedule" -> scheduler.scheduleLaunch(id, after.startsAt());
            case "cancel" -> scheduler.unschedule(id);
            default -> {
            }
        }
        return get(id);
    }

    /**
     * Requeues failed messages whose failure was transient (retries ran out), not permanent ones.
     * The sweep completes a campaign once nothing is pending, failures included, so a COMPLETED
     * campaign with requeued messages runs again; a CANCELLED one sends nothing more.
     */
    public Map<String, Long> retryFailed(long id) {
        return transactions.executeWrite(status -> {
            CampaignStore.CampaignRow c = store.lock(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
            if (c.status() == CampaignStatus.CANCELLED) {
                throw ProblemException.conflict("A CANCELLED campaign sends nothing more");
            }
            long requeued = messages.requeueTransientFailures(id, clock.instant());
            if (requeued > 0 && c.status() == CampaignStatus.COMPLETED) {
                store.transition(id, CampaignStatus.COMPLETED, CampaignStatus.RUNNING, "reopened to retry failed messages");
            }
            audit.record("campaign.retry-failed", "campaign", id, Map.of("requeued", requeued));
            return Map.of("requeued", requeued);
        });
    }

    /** One step's messages so far: handed to the provider, still to go, failed, skipped or cancelled. */
    public record StepProgress(int order, long sent, long waiting, long failed, long skipped) {
        public long total() {
            return sent + waiting + failed + skipped;
        }

        /** Whole percent of the total, for a bar. */
        public long percent(long part) {
            return total() == 0 ? 0 : Math.round(100.0 * part / total());
        }
    }

    /** Each step's progress, in step order (steps with no message yet show zeros). */
    public List<StepProgress> stepProgress(long id) {
        Map<Long, long[]> byStep = new LinkedHashMap<>();
        List<CampaignStore.StepRow> steps = store.steps(id);
        steps.forEach(s -> byStep.put(s.id(), new long[4]));
        jdbc.query("SELECT step_id, status, COUNT(*) FROM message WHERE campaign_id = ? GROUP BY step_id, status", rs -> {
            long[] counts = byStep.get(rs.getLong(1));
            if (counts != null) {
                int slot = switch (rs.getString(2)) {
                    case "SENT", "DELIVERED" -> 0;
                    case "PENDING", "SENDING" -> 1;
                    case "FAILED", "BOUNCED", "UNKNOWN" -> 2;
                    default -> 3;
                };
                counts[slot] += rs.getLong(3);
            }
            return null;
        }, id);
        List<StepProgress> progress = new ArrayList<>();
        for (CampaignStore.StepRow s : steps) {
            long[] c = byStep.get(s.id());
            progress.add(new StepProgress(s.order(), c[0], c[1], c[2], c[3]));
        }
        return progress;
    }

    /** Messages of the campaign that may have reached the person twice (from the counters). */
    public long possibleDuplicates(long id) {
        return jdbc.queryLong("SELECT COALESCE(SUM(possible_duplicate), 0) FROM report_counter WHERE campaign_id = ?", id);
    }

    /** Resend, or count as sent, the campaign's messages whose outcome is unknown (all, or those listed). */
    public int resolveUnknown(long id, List<Long> messageIds, UnknownOutcomes.Resolution resolution) {
        return transactions.executeWrite(status -> {
            CampaignStore.CampaignRow c = store.lock(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
            if (resolution == UnknownOutcomes.Resolution.RESEND && c.status() == CampaignStatus.CANCELLED) {
                throw ProblemException.conflict("A CANCELLED campaign sends nothing more");
            }
            int resolved = unknowns.resolve(id, messageIds, resolution);
            if (resolved > 0 && resolution == UnknownOutcomes.Resolution.RESEND) {
                store.transition(id, CampaignStatus.COMPLETED, CampaignStatus.RUNNING,
                        "reopened to resend messages whose outcome was unknown");
            }
            return resolved;
        });
    }

    public List<CampaignViews.MessageRow> messages(long id, String status, int offset, int limit) {
        store.find(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
        String filter = status == null ? "" : " AND m.status = ?";
        List<Object> params = new ArrayList<>(List.of(id));
        if (status != null) {
            params.add(status.toUpperCase(Locale.ROOT));
        }
        params.add(limit);
        params.add(offset);
        // The name as staff know the person; an erased person has none left to show.
        return jdbc.query("SELECT m.id, m.contact_id, m.step_id, m.channel, m.status, m.due_at, m.attempts, m.sent_at, "
                        + "m.last_error, CASE WHEN c.erased_at IS NULL THEN TRIM(CONCAT(c.first_name, ' ', c.last_name)) END AS name "
                        + "FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.campaign_id = ?" + filter
                        + " ORDER BY m.id LIMIT ? OFFSET ?",
                rs -> new CampaignViews.MessageRow(rs.getLong("id"), rs.getLong("contact_id"), blankToNull(rs.getString("name")),
                        Jdbc.nullableLong(rs, "step_id"), Channel.valueOf(rs.getString("channel")), rs.getString("status"),
                        Jdbc.instant(rs, "due_at"), rs.getInt("attempts"), Jdbc.instant(rs, "sent_at"), rs.getString("last_error")),
                params.toArray());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private CampaignViews.View view(CampaignStore.CampaignRow c) {
        Map<String, Long> progress = new LinkedHashMap<>();
        jdbc.query("SELECT status, COUNT(*) FROM message WHERE campaign_id = ? GROUP BY status ORDER BY status",
                rs -> progress.put(rs.getString(1), rs.getLong(2)), c.id());
        Map<String, Long> totals = new LinkedHashMap<>();
        counters.campaign(c.id()).forEach((k, v) -> totals.put(k.name().toLowerCase(Locale.ROOT), v));
        return new CampaignViews.View(c.id(), c.name(), c.segmentId(), c.status(), c.statusReason(), c.defaultLocale(),
                c.timeZone(), c.enrollmentMode(), c.cron(), c.holdoutPercent(), c.attributionWindowDays(), c.startsAt(),
                c.launchedAt(), c.completedAt(), store.steps(c.id()).stream().map(CampaignStore.StepRow::view).toList(),
                progress, totals, c.createdBy(), c.createdAt(), c.updatedAt());
    }

    private CampaignViews.Form formOf(CampaignStore.CampaignRow c) {
        List<CampaignViews.StepForm> steps = store.steps(c.id()).stream().map(s -> new CampaignViews.StepForm(s.channel(),
                s.templateId(), s.templateVersion(), s.at(), s.afterEnrollment(),
                s.relativeAttribute() == null ? null : new CampaignViews.RelativeTo(s.relativeAttribute(), s.relativeOffset()),
                s.sendHour(), s.variants().isEmpty() ? null : s.variants().stream().map(v -> new CampaignViews.VariantForm(
                        v.templateId(), v.templateVersion(), v.percent())).toList(),
                s.test() == null ? null : s.test().percent(), s.test() == null ? null : s.test().testWait(),
                s.test() == null ? null : s.test().metric(), s.test() == null ? null : s.test().minPerVariant(),
                s.test() == null ? null : s.test().fallback())).toList();
        return new CampaignViews.Form(c.name(), c.segmentId(), c.defaultLocale(), c.timeZone(), steps, c.enrollmentMode(),
                c.cron(), c.holdoutPercent(), c.attributionWindowDays(), c.startsAt());
    }

    private record Validated(String locale, String zone, String mode, List<CampaignStore.StepRow> steps) {
    }

    /** What scheduling would refuse now (no steps, a template archived since), changing nothing. */
    public List<FieldError> launchProblems(long id) {
        CampaignStore.CampaignRow c = store.find(id).orElseThrow(() -> ProblemException.notFound("Campaign", id));
        try {
            validate(formOf(c), true);
            return List.of();
        } catch (ProblemException e) {
            return e.errors();
        }
    }

    /** What {@link #create} or {@link #update} would refuse in this form, without saving anything. */
    public List<FieldError> problems(CampaignViews.Form form) {
        try {
            validate(form, false);
            return List.of();
        } catch (ProblemException e) {
            return e.errors();
        }
    }

    /**
     * The campaign's rules. A draft may be saved without steps (the builder saves who and when
     * first, then the steps); only {@code launching} requires at least one.
     */
    private Validated validate(CampaignViews.Form f, boolean launching) {
        List<FieldError> errors = new ArrayList<>();
        if (segments.findById(f.segmentId()).isEmpty()) {
            errors.add(FieldError.of("segmentId", "segment " + f.segmentId() + " does not exist"));
        }
        String locale = f.defaultLocale() == null ? program.current().defaultLocale() : LanguageTags.canonical(f.defaultLocale());
        if (locale == null) {
            errors.add(FieldError.of("defaultLocale", "must be a BCP-47 language tag like en-US"));
        }
        String zone = f.timeZone() == null ? program.current().defaultTimeZone() : f.timeZone();
        if (!Zones.isRegion(zone)) {
            errors.add(FieldError.of("timeZone", Zones.problem(zone)));
        }
        String mode = f.enrollment() == null ? "ONCE" : f.enrollment().toUpperCase(Locale.ROOT);
        if (!mode.equals("ONCE") && !mode.equals("RECURRING")) {
            errors.add(FieldError.of("enrollment", "must be ONCE or RECURRING"));
        } else if (mode.equals("RECURRING") && (f.cron() == null || !CronExpression.isValidExpression(f.cron()))) {
            errors.add(FieldError.of("cron", "a RECURRING campaign needs a Quartz cron expression like \"0 0 9 ? * MON\""));
        } else if (mode.equals("ONCE") && f.cron() != null) {
            errors.add(FieldError.of("cron", "only RECURRING campaigns take a cron expression"));
        }
        List<CampaignStore.StepRow> steps = new ArrayList<>();
        if (f.steps() == null || f.steps().isEmpty()) {
            if (launching) {
                errors.add(FieldError.of("steps", "a campaign needs at least one step"));
            }
        } else {
            for (int i = 0; i < f.steps().size(); i++) {
                CampaignStore.StepRow step = step(f.steps().get(i), i, errors);
                if (step != null) {
                    steps.add(step);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Validated(locale, zone, mode, steps);
    }

    private CampaignStore.StepRow step(CampaignViews.StepForm s, int i, List<FieldError> errors) {
        String field = "steps[" + i + "]";
        if (s == null) {
            errors.add(FieldError.of(field, "must be an object"));
            return null;
        }
        int errorsBefore = errors.size();
        Optional<TemplateStore.TemplateRow> template = templates.find(s.templateId());
        int version = 0;
        if (template.isEmpty()) {
            errors.add(FieldError.of(field + ".templateId", "template " + s.templateId() + " does not exist"));
        } else {
            if (template.get().archived()) {
                errors.add(FieldError.of(field + ".templateId", "template " + s.templateId() + " is archived"));
            }
            if (template.get().channel() != s.channel()) {
                errors.add(FieldError.of(field + ".channel", "template " + s.templateId() + " is an "
                        + template.get().channel() + " template"));
            }
            version = s.templateVersion() == null ? template.get().currentVersion() : s.templateVersion();
            if (templates.version(s.templateId(), version).isEmpty()) {
                errors.add(FieldError.of(field + ".templateVersion", "template " + s.templateId() + " has no version " + version));
            }
        }
        int timings = (s.at() != null ? 1 : 0) + (s.afterEnrollment() != null ? 1 : 0) + (s.relativeTo() != null ? 1 : 0);
        if (timings > 1) {
            errors.add(FieldError.of(field, "give one of at, afterEnrollment or relativeTo"));
        }
        String after = s.afterEnrollment() == null && timings == 0 ? "PT0S" : s.afterEnrollment();
        if (after != null && parse(after) == null) {
            errors.add(FieldError.of(field + ".afterEnrollment", "'" + after + "' is not an ISO-8601 duration like P3D or PT2H"));
        }
        if (s.relativeTo() != null) {
            if (parse(s.relativeTo().offset()) == null) {
                errors.add(FieldError.of(field + ".relativeTo.offset", "'" + s.relativeTo().offset()
                        + "' is not an ISO-8601 duration like -P7D"));
            }
            if (attributes.typeOf(s.relativeTo().attribute()) != AttributeType.DATE) {
                errors.add(FieldError.of(field + ".relativeTo.attribute", "'" + s.relativeTo().attribute()
                        + "' is not a date attribute of contacts"));
            }
        }
        List<CampaignStore.VariantRow> variants = s.variants() == null ? List.of()
                : variantRules.check(s, version, field, errors);
        CampaignStore.TestRow test = variantRules.test(s, s.variants() == null ? 0 : s.variants().size(), field, errors);
        if (errors.size() > errorsBefore) {
            return null;
        }
        return new CampaignStore.StepRow(0, 0, i + 1, s.channel(), s.templateId(), version, s.at(), after,
                s.relativeTo() == null ? null : s.relativeTo().attribute(),
                s.relativeTo() == null ? null : s.relativeTo().offset(), s.sendHour(), variants, test);
    }

    private static Duration parse(String iso) {
        try {
            return Duration.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
