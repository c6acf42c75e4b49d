package health.outreach.campaign;

import health.outreach.contact.Reachability;
import health.outreach.delivery.DeliveryWindows;
import health.outreach.common.BulkInsert;
import health.outreach.common.Jdbc;
import health.outreach.events.Counters;
import health.outreach.events.Metric;
import health.outreach.template.TemplateStore;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one message row per (enrollment, step) for the enrollments of one batch, in the caller's
 * transaction. A step's due time depends only on the recipient's zone for absolute and
 * after-enrollment timing, so those are one INSERT ... SELECT per step, with due_at computed here
 * for each distinct zone in the batch (a handful), already out of quiet hours. Steps relative to a contact date,
 * and A/B steps (each person's variant is a hash of ids, not SQL), are written per contact (the rare path).
 * Consent for the step's channel is in the SQL.
 */
@Singleton
class FanOut {

    private static final List<String> MESSAGE_COLUMNS = List.of("campaign_id", "step_id", "enrollment_id", "contact_id",
            "channel", "kind", "template_version_id", "status", "due_at", "created_at", "updated_at");

    private final Jdbc jdbc;
    private final TemplateStore templates;
    private final DeliveryWindows windows;

    FanOut(Jdbc jdbc, TemplateStore templates, DeliveryWindows windows) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.windows = windows;
    }

    /**
     * What a batch's fan-out wrote, for the caller to count last: counter rows are hot (every
     * dispatcher increments them), so their locks are taken just before the commit.
     */
    record Result(List<Counters.Increment> queued, long skippedNoDate) {
        static final Result NONE = new Result(List.of(), 0);
    }

    /** Enrollments of {@code campaign} with contact id in (fromId, toId] and this enrolled_at. */
    Result messagesFor(CampaignStore.CampaignRow campaign, List<CampaignStore.StepRow> steps, long fromId, long toId,
                       Instant enrolledAt) {
        List<String> zones = jdbc.query("SELECT DISTINCT time_zone FROM enrollment WHERE campaign_id = ? AND contact_id > ? "
                + "AND contact_id <= ? AND enrolled_at = ? AND NOT holdout", rs -> rs.getString(1), campaign.id(), fromId, toId, enrolledAt);
        if (zones.isEmpty()) {
            return Result.NONE;
        }
        LocalDate day = LocalDate.ofInstant(enrolledAt, ZoneOffset.UTC);
        List<Counters.Increment> increments = new ArrayList<>();
        long skipped = 0;
        // The launcher enrolls only contacts reachable on at least one of the campaign's channels.
        boolean consentChecked = steps.stream().map(CampaignStore.StepRow::channel).distinct().count() == 1;
        for (CampaignStore.StepRow step : steps) {
            long versionId = templates.version(step.templateId(), step.templateVersion()).orElseThrow().id();
            Written written = step.relativeAttribute() == null && step.variants().isEmpty()
                    ? byZone(campaign, step, versionId, zones, consentChecked, fromId, toId, enrolledAt)
                    : perContact(campaign, step, versionIds(step, versionId), fromId, toId, enrolledAt);
            written.byVersion().forEach((version, count) -> increments.add(new Counters.Increment(campaign.id(), step.id(),
                    step.channel(), version, day, Metric.QUEUED, count)));
            skipped += written.skippedNoDate();
        }
        return new Result(increments, skipped);
    }

    /** The template version ids a step sends: its own, or each variant's in variant order. */
    private List<Long> versionIds(CampaignStore.StepRow step, long stepVersionId) {
        if (step.variants().isEmpty()) {
            return List.of(stepVersionId);
        }
        return step.variants().stream()
                .map(v -> templates.version(v.templateId(), v.templateVersion()).orElseThrow().id()).toList();
    }

    /** One step's messages written per template version, and contacts skipped for lacking the step's date. */
    private record Written(Map<Long, Long> byVersion, long skippedNoDate) {
    }

    /**
     * One INSERT ... SELECT for the step: due_at picked per row by the enrollment's zone from the
     * handful computed here. When every step uses one channel, the enrollment insert of this same
     * transaction selected only contacts reachable on it, so the consent join is left out; the
     * dispatcher re-checks consent when it claims each message anyway.
     */
    private Written byZone(CampaignStore.CampaignRow campaign, CampaignStore.StepRow step, long versionId, List<String> zones,
                           boolean consentChecked, long fromId, long toId, Instant enrolledAt) {
        StringBuilder due = new StringBuilder("CASE e.time_zone");
        List<Object> params = new ArrayList<>(List.of(step.id(), step.channel(), versionId));
        for (String zone : zones) {
            ZoneId zoneId = ZoneId.of(zone);
            due.append(" WHEN ? THEN CAST(? AS TIMESTAMP WITH TIME ZONE)");
            params.add(zone);
            params.add(windows.forChannel(step.channel()).nextAllowed(StepTiming.due(step.timing(), enrolledAt, zoneId), zoneId));
        }
        params.addAll(List.of(enrolledAt, enrolledAt, campaign.id(), fromId, toId, enrolledAt));
        String consent = "";
        if (!consentChecked) {
            consent = "AND EXISTS (SELECT 1 FROM contact c WHERE c.id = e.contact_id AND " + Reachability.sql(step.channel()) + ")";
            params.add(enrolledAt);
        }
        long created = jdbc.update("INSERT INTO message (" + String.join(", ", MESSAGE_COLUMNS) + ") "
                + "SELECT e.campaign_id, ?, e.id, e.contact_id, ?, 'CAMPAIGN', ?, 'PENDING', " + due + " END, ?, ? "
                + "FROM enrollment e WHERE e.campaign_id = ? AND e.contact_id > ? AND e.contact_id <= ? AND e.enrolled_at = ? "
                + "AND NOT e.holdout " + consent, params.toArray());
        return new Written(Map.of(versionId, created), 0);
    }

    /**
     * At a tested step's decision, in the decision's transaction: a message on the winner's version
     * for every non-holdout enrollment outside the test share that has none for the step, reachable
     * on its channel now (consent is checked at release, not at enrollment). Due at the step's own
     * time, or now when that has passed, out of quiet hours. Enrollments are read in contact-id
     * pages; the (enrollment, step) unique key makes a second release fail rather than send twice.
     */
    Result release(CampaignStore.CampaignRow campaign, CampaignStore.StepRow step, long versionId, Instant now) {
        record Row(long enrollmentId, long contactId, String zone, Instant enrolledAt) {
        }
        Map<String, Instant> dueBy = new HashMap<>();
        long after = 0;
        long written = 0;
        while (true) {
            List<Row> rows = jdbc.query("SELECT e.id, e.contact_id, e.time_zone, e.enrolled_at FROM enrollment e "
                            + "JOIN contact c ON c.id = e.contact_id "
                            + "WHERE e.campaign_id = ? AND e.contact_id > ? AND NOT e.holdout AND " + Reachability.sql(step.channel())
                            + " AND NOT EXISTS (SELECT 1 FROM message m WHERE m.enrollment_id = e.id AND m.step_id = ?) "
                            + "ORDER BY e.contact_id LIMIT " + CampaignLauncher.BATCH,
                    rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), Jdbc.instant(rs, "enrolled_at")),
                    campaign.id(), after, now, step.id());
            if (rows.isEmpty()) {
                break;
            }
            List<Object[]> messages = new ArrayList<>();
            for (Row r : rows) {
                after = r.contactId();
                if (VariantAssignment.inTest(step.id(), r.contactId(), step.test().percent())) {
                    continue; // in the test share and not sent then (unreachable at enrollment): not the rest's to fill
                }
                Instant due = dueBy.computeIfAbsent(r.zone() + "|" + r.enrolledAt(), k -> {
                    ZoneId zone = ZoneId.of(r.zone());
                    Instant planned = StepTiming.due(step.timing(), r.enrolledAt(), zone);
                    return windows.forChannel(step.channel()).nextAllowed(planned.isBefore(now) ? now : planned, zone);
                });
                messages.add(new Object[]{campaign.id(), step.id(), r.enrollmentId(), r.contactId(), step.channel(), "CAMPAIGN",
                        versionId, "PENDING", due, now, now});
            }
            BulkInsert.insert(jdbc, "message", MESSAGE_COLUMNS, messages);
            written += messages.size();
        }
        if (written == 0) {
            return Result.NONE;
        }
        return new Result(List.of(new Counters.Increment(campaign.id(), step.id(), step.channel(), versionId,
                LocalDate.ofInstant(now, ZoneOffset.UTC), Metric.QUEUED, written)), 0);
    }

    /**
     * Per contact, for steps relative to a contact date and for A/B steps, whose version is each
     * person's own ({@link VariantAssignment}). A date step's time is the date attribute plus the
     * offset, at the send hour in their zone; a contact without the date, or whose date put the step
     * more than a day in the past, is skipped and counted; one due up to a day ago is sent now.
     */
    private Written perContact(CampaignStore.CampaignRow campaign, CampaignStore.StepRow step, List<Long> versionIds,
                               long fromId, long toId, Instant enrolledAt) {
        record Row(long enrollmentId, long contactId, String zone, LocalDate date) {
        }
        boolean byDate = step.relativeAttribute() != null;
        List<Object> params = new ArrayList<>();
        if (byDate) {
            params.add(step.relativeAttribute());
        }
        params.addAll(List.of(campaign.id(), fromId, toId, enrolledAt, enrolledAt));
        List<Row> rows = jdbc.query("SELECT e.id, e.contact_id, e.time_zone, " + (byDate ? "a.date_value" : "NULL") + " FROM enrollment e "
                        + "JOIN contact c ON c.id = e.contact_id "
                        + (byDate ? "LEFT JOIN contact_attribute a ON a.contact_id = e.contact_id AND a.name = ? " : "")
                        + "WHERE e.campaign_id = ? AND e.contact_id > ? AND e.contact_id <= ? AND e.enrolled_at = ? "
                        + "AND NOT e.holdout AND " + Reachability.sql(step.channel()),
                rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getDate(4) == null ? null : rs.getDate(4).toLocalDate()),
                params.toArray());
        Map<Long, Long> byVersion = new LinkedHashMap<>();
        versionIds.forEach(v -> byVersion.put(v, 0L));
        Map<String, Instant> dueByZone = new HashMap<>();
        List<Object[]> messages = new ArrayList<>();
        long skipped = 0;
        for (Row r : rows) {
            ZoneId zone = ZoneId.of(r.zone());
            Instant due;
            if (byDate) {
                if (r.date() == null) {
                    skipped++;
                    continue;
                }
                due = StepTiming.dueFromDate(step.timing(), r.date(), zone);
                if (due.isBefore(enrolledAt.minus(Duration.ofDays(1)))) {
                    skipped++;
                    continue;
                }
                due = windows.forChannel(step.channel()).nextAllowed(due.isBefore(enrolledAt) ? enrolledAt : due, zone);
            } else {
                due = dueByZone.computeIfAbsent(r.zone(), z -> windows.forChannel(step.channel())
                        .nextAllowed(StepTiming.due(step.timing(), enrolledAt, zone), zone));
            }
            long versionId;
            if (step.test() != null && step.test().decidedAt() != null) {
                versionId = versionIds.get(step.test().winnerIndex());
            } else if (step.holding() && !VariantAssignment.inTest(step.id(), r.contactId(), step.test().percent())) {
                continue; // held: the decision writes this person's message, on the winner
            } else {
                versionId = versionIds.get(step.variants().isEmpty() ? 0
                        : VariantAssignment.pick(step.splits(), step.id(), r.contactId()));
            }
            byVersion.merge(versionId, 1L, Long::sum);
            messages.add(new Object[]{campaign.id(), step.id(), r.enrollmentId(), r.contactId(), step.channel(), "CAMPAIGN",
                    versionId, "PENDING", due, enrolledAt, enrolledAt});
        }
        BulkInsert.insert(jdbc, "message", MESSAGE_COLUMNS, messages);
        return new Written(byVersion, skipped);
    }

}
