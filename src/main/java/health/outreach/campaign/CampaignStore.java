package health.outreach.campaign;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.events.Counters;
import health.outreach.campaign.CampaignViews.RelativeTo;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Campaign and step rows. */
@Singleton
public class CampaignStore {

    public record CampaignRow(long id, String name, long segmentId, CampaignStatus status, @Nullable String statusReason,
                              String defaultLocale, String timeZone, String enrollmentMode, @Nullable String cron,
                              int holdoutPercent, int attributionWindowDays, @Nullable Instant startsAt,
                              @Nullable Instant launchedAt, @Nullable Instant completedAt, String createdBy,
                              Instant createdAt, Instant updatedAt) {
        static CampaignRow map(ResultSet rs) throws SQLException {
            return new CampaignRow(rs.getLong("id"), rs.getString("name"), rs.getLong("segment_id"),
                    CampaignStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                    rs.getString("default_locale"), rs.getString("time_zone"), rs.getString("enrollment_mode"),
                    rs.getString("cron"), rs.getInt("holdout_percent"), rs.getInt("attribution_window_days"),
                    Jdbc.instant(rs, "starts_at"), Jdbc.instant(rs, "launched_at"), Jdbc.instant(rs, "completed_at"),
                    rs.getString("created_by"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
        }

        public boolean recurring() {
            return "RECURRING".equals(enrollmentMode);
        }
    }

    public record StepRow(long id, long campaignId, int order, Channel channel, long templateId, int templateVersion,
                          @Nullable Instant at, @Nullable String afterEnrollment, @Nullable String relativeAttribute,
                          @Nullable String relativeOffset, @Nullable Integer sendHour, List<VariantRow> variants,
                          @Nullable TestRow test) {
        static StepRow map(ResultSet rs) throws SQLException {
            return new StepRow(rs.getLong("id"), rs.getLong("campaign_id"), rs.getInt("step_order"),
                    Channel.valueOf(rs.getString("channel")), rs.getLong("template_id"), rs.getInt("template_version"),
                    Jdbc.instant(rs, "at_time"), rs.getString("after_enrollment"), rs.getString("relative_attribute"),
                    rs.getString("relative_offset"), Jdbc.nullableInt(rs, "send_hour"), List.of(), null);
        }

        StepRow withVariants(List<VariantRow> v, @Nullable TestRow t) {
            return new StepRow(id, campaignId, order, channel, templateId, templateVersion, at, afterEnrollment,
                    relativeAttribute, relativeOffset, sendHour, List.copyOf(v), t);
        }

        /** Whether the step still holds back everyone outside its test share. */
        boolean holding() {
            return test != null && test.decidedAt() == null;
        }

        /** Each variant's share, in variant order, for {@link VariantAssignment#pick}. */
        List<Integer> splits() {
            return variants.stream().map(VariantRow::percent).toList();
        }

        public StepTiming.Spec timing() {
            return new StepTiming.Spec(at, afterEnrollment == null ? null : Duration.parse(afterEnrollment),
                    relativeAttribute, relativeOffset == null ? null : Duration.parse(relativeOffset), sendHour);
        }

        CampaignViews.Step view() {
            List<CampaignViews.Variant> arms = variants.stream().map(v -> new CampaignViews.Variant(VariantRow.label(v.index()),
                    v.templateId(), v.templateVersion(), v.percent())).toList();
            RelativeTo relative = relativeAttribute == null ? null : new RelativeTo(relativeAttribute, relativeOffset);
            if (test == null) {
                return new CampaignViews.Step(id, order, channel, templateId, templateVersion, at, afterEnrollment, relative,
                        sendHour, arms);
            }
            return new CampaignViews.Step(id, order, channel, templateId, templateVersion, at, afterEnrollment, relative,
                    sendHour, arms, test.percent(), test.testWait(), test.metric(), test.minPerVariant(), test.fallback(),
                    test.decidedAt() == null ? null : new CampaignViews.Decision(test.decidedAt(),
                            VariantRow.label(test.winnerIndex()), test.fellBack(), test.notice(), test.released()));
        }
    }

    /**
     * A step's test: settings, and once decided the winner's index, whether it is the fallback, the
     * notice saying why, and how many messages the decision wrote for the rest.
     */
    public record TestRow(int percent, String testWait, String metric, int minPerVariant, String fallback,
                          @Nullable Instant decidedAt, @Nullable Integer winnerIndex, boolean fellBack, @Nullable String notice,
                          long released) {
        static TestRow map(ResultSet rs) throws SQLException {
            return new TestRow(rs.getInt("test_percent"), rs.getString("test_wait"), rs.getString("winner_metric"),
                    rs.getInt("min_per_variant"), rs.getString("fallback"), Jdbc.instant(rs, "decided_at"),
                    Jdbc.nullableInt(rs, "winner_index"), rs.getBoolean("fell_back"), rs.getString("notice"), rs.getLong("released"));
        }

        static TestRow settings(int percent, String wait, String metric, int minPerVariant, String fallback) {
            return new TestRow(percent, wait, metric, minPerVariant, fallback, null, null, false, null, 0);
        }

        /** The fallback's variant index: FIRST is A. */
        int fallbackIndex() {
            return "FIRST".equals(fallback) ? 0 : fallback.charAt(0) - 'A';
        }
    }

    /** One arm of an A/B step, {@code index} 0 being A. */
    public record VariantRow(int index, long templateId, int templateVersion, int percent) {
        static String label(int index) {
            return String.valueOf((char) ('A' + index));
        }
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final Counters counters;
    private final Announcements announcements;

    public CampaignStore(Jdbc jdbc, Clock clock, Counters counters, Announcements announcements) {
        this.counters = counters;
        this.announcements = announcements;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<CampaignRow> find(long id) {
        return jdbc.queryOne("SELECT * FROM campaign WHERE id = ?", CampaignRow::map, id);
    }

    /** Locks the campaign row for the rest of the transaction (serialises launches across nodes). */
    public Optional<CampaignRow> lock(long id) {
        return jdbc.queryOne("SELECT * FROM campaign WHERE id = ? FOR UPDATE", CampaignRow::map, id);
    }

    public List<CampaignRow> list() {
        return jdbc.query("SELECT * FROM campaign ORDER BY id DESC", CampaignRow::map);
    }

    public List<CampaignRow> withStatus(CampaignStatus status) {
        return jdbc.query("SELECT * FROM campaign WHERE status = ? ORDER BY id", CampaignRow::map, status);
    }

    public List<StepRow> steps(long campaignId) {
        List<StepRow> steps = jdbc.query("SELECT * FROM campaign_step WHERE campaign_id = ? ORDER BY step_order", StepRow::map,
                campaignId);
        Map<Long, List<VariantRow>> variants = new HashMap<>();
        jdbc.query("SELECT v.* FROM step_variant v JOIN campaign_step s ON s.id = v.step_id WHERE s.campaign_id = ? "
                        + "ORDER BY v.step_id, v.variant_index",
                rs -> variants.computeIfAbsent(rs.getLong("step_id"), k -> new ArrayList<>()).add(new VariantRow(
                        rs.getInt("variant_index"), rs.getLong("template_id"), rs.getInt("template_version"),
                        rs.getInt("split_percent"))), campaignId);
        if (variants.isEmpty()) {
            return steps;
        }
        Map<Long, TestRow> tests = new HashMap<>();
        jdbc.query("SELECT t.* FROM step_test t JOIN campaign_step s ON s.id = t.step_id WHERE s.campaign_id = ?",
                rs -> tests.put(rs.getLong("step_id"), TestRow.map(rs)), campaignId);
        return steps.stream().map(s -> s.withVariants(variants.getOrDefault(s.id(), List.of()), tests.get(s.id()))).toList();
    }

    public long insert(CampaignViews.Form f, String defaultLocale, String timeZone, String mode, String actor) {
        Instant now = clock.instant();
        long id = jdbc.insert("""
                        INSERT INTO campaign (name, segment_id, status, default_locale, time_zone, enrollment_mode, cron,
                                              holdout_percent, attribution_window_days, starts_at, created_by, created_at, updated_at)
                        VALUES (?, ?, 'DRAFT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                f.name().strip(), f.segmentId(), defaultLocale, timeZone, mode, f.cron(),
                f.holdoutPercent() == null ? 0 : f.holdoutPercent(),
                f.attributionWindowDays() == null ? 30 : f.attributionWindowDays(), f.startsAt(), actor, now, now);
        counters.open(id);
        return id;
    }

    public void update(long id, CampaignViews.Form f, String defaultLocale, String timeZone, String mode) {
        jdbc.update("""
                        UPDATE campaign SET name = ?, segment_id = ?, default_locale = ?, time_zone = ?, enrollment_mode = ?,
                                            cron = ?, holdout_percent = ?, attribution_window_days = ?, starts_at = ?,
                                            updated_at = ?, version = version + 1
                        WHERE id = ?""",
                f.name().strip(), f.segmentId(), defaultLocale, timeZone, mode, f.cron(),
                f.holdoutPercent() == null ? 0 : f.holdoutPercent(),
                f.attributionWindowDays() == null ? 30 : f.attributionWindowDays(), f.startsAt(), clock.instant(), id);
    }

    public void replaceSteps(long campaignId, List<StepRow> steps) {
        jdbc.update("DELETE FROM campaign_step WHERE campaign_id = ?", campaignId);
        jdbc.batch("""
                        INSERT INTO campaign_step (campaign_id, step_order, channel, template_id, template_version, at_time,
                                                   after_enrollment, relative_attribute, relative_offset, send_hour)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                steps.stream().map(s -> new Object[]{campaignId, s.order(), s.channel(), s.templateId(), s.templateVersion(),
                        s.at(), s.afterEnrollment(), s.relativeAttribute(), s.relativeOffset(), s.sendHour()}).toList());
        if (steps.stream().allMatch(s -> s.variants().isEmpty())) {
            return;
        }
        Map<Integer, Long> ids = new HashMap<>();
        jdbc.query("SELECT step_order, id FROM campaign_step WHERE campaign_id = ?", rs -> ids.put(rs.getInt(1), rs.getLong(2)),
                campaignId);
        jdbc.batch("INSERT INTO step_variant (step_id, variant_index, template_id, template_version, split_percent) "
                        + "VALUES (?, ?, ?, ?, ?)",
                steps.stream().flatMap(s -> s.variants().stream().map(v -> new Object[]{ids.get(s.order()), v.index(),
                        v.templateId(), v.templateVersion(), v.percent()})).toList());
        jdbc.batch("INSERT INTO step_test (step_id, test_percent, test_wait, winner_metric, min_per_variant, fallback) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                steps.stream().filter(s -> s.test() != null).map(s -> new Object[]{ids.get(s.order()), s.test().percent(),
                        s.test().testWait(), s.test().metric(), s.test().minPerVariant(), s.test().fallback()}).toList());
    }

    /**
     * Moves the status only if it is still {@code from}; false when someone else moved it first. A
     * launch and a completion are announced in the same transaction.
     */
    @Transactional
    public boolean transition(long id, CampaignStatus from, CampaignStatus to, @Nullable String reason) {
        Instant now = clock.instant();
        boolean moved = jdbc.update("UPDATE campaign SET status = ?, status_reason = ?, updated_at = ?, version = version + 1, "
                        + "launched_at = CASE WHEN ? = 'RUNNING' AND launched_at IS NULL THEN ? ELSE launched_at END, "
                        + "completed_at = CASE WHEN ? IN ('COMPLETED', 'CANCELLED') THEN ? WHEN ? = 'RUNNING' THEN NULL "
                        + "ELSE completed_at END WHERE id = ? AND status = ?",
                to, reason, now, to.name(), now, to.name(), now, to.name(), id, from) == 1;
        if (moved && from == CampaignStatus.SCHEDULED && to == CampaignStatus.RUNNING) {
            announcements.announce(new EventData.CampaignStarted(id));
        } else if (moved && to == CampaignStatus.COMPLETED) {
            announcements.announce(new EventData.CampaignCompleted(id));
        }
        return moved;
    }

    public void setStartsAt(long id, Instant startsAt) {
        jdbc.update("UPDATE campaign SET starts_at = ? WHERE id = ?", startsAt, id);
    }

    public void delete(long id) {
        counters.close(id);
        jdbc.update("DELETE FROM campaign WHERE id = ?", id);
    }
}
