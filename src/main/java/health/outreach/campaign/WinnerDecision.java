package health.outreach.campaign;

import health.outreach.audit.AuditLog;
import health.outreach.common.Jdbc;
import health.outreach.events.Counters;
import health.outreach.template.TemplateStore;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the winner of a tested A/B step once its wait has passed ({@link WinnerRule}), stores and
 * audits the decision with each variant's numbers, and writes the held people's messages on the
 * winner's version, all in one transaction. The campaign row is locked first, as an enrollment
 * batch locks it, so a batch either commits before the decision (and its held people are released)
 * or starts after it (and writes the winner itself); the step's test row is then locked and its
 * decided_at set only while still null, so two sweeps cannot both decide or both release.
 */
@Singleton
public class WinnerDecision {

    private static final Logger LOG = LoggerFactory.getLogger(WinnerDecision.class);

    private final Jdbc jdbc;
    private final CampaignStore store;
    private final TemplateStore templates;
    private final FanOut fanOut;
    private final Counters counters;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    WinnerDecision(Jdbc jdbc, CampaignStore store, TemplateStore templates, FanOut fanOut, Counters counters, AuditLog audit,
                   TransactionOperations<Connection> transactions, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.templates = templates;
        this.fanOut = fanOut;
        this.counters = counters;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Decides every undecided tested step of the campaign whose wait has passed; the sweep calls this. */
    void decideDue(long campaignId) {
        for (long stepId : jdbc.query("SELECT t.step_id FROM step_test t JOIN campaign_step s ON s.id = t.step_id "
                + "WHERE s.campaign_id = ? AND t.decided_at IS NULL ORDER BY t.step_id", rs -> rs.getLong(1), campaignId)) {
            decide(stepId);
        }
    }

    /** True when this call made the decision; false when it is not due, or already made (here or elsewhere). */
    public boolean decide(long stepId) {
        return transactions.executeWrite(status -> decideLocked(stepId));
    }

    private boolean decideLocked(long stepId) {
        Long campaignId = jdbc.queryOne("SELECT campaign_id FROM campaign_step WHERE id = ?", rs -> rs.getLong(1), stepId)
                .orElse(null);
        if (campaignId == null) {
            return false;
        }
        CampaignStore.CampaignRow campaign = store.lock(campaignId).orElse(null);
        if (campaign == null || campaign.status() != CampaignStatus.RUNNING) {
            return false;
        }
        CampaignStore.TestRow test = jdbc.queryOne("SELECT * FROM step_test WHERE step_id = ? FOR UPDATE",
                CampaignStore.TestRow::map, stepId).orElse(null);
        if (test == null || test.decidedAt() != null) {
            return false;
        }
        Instant now = clock.instant();
        Instant start = testStart(campaignId, stepId);
        if (start == null || now.isBefore(start.plus(Duration.parse(test.testWait())))) {
            return false;
        }
        CampaignStore.StepRow step = store.steps(campaignId).stream().filter(s -> s.id() == stepId).findFirst().orElseThrow();
        List<Long> versionIds = step.variants().stream()
                .map(v -> templates.version(v.templateId(), v.templateVersion()).orElseThrow().id()).toList();
        List<WinnerRule.Arm> arms = new ArrayList<>();
        for (int i = 0; i < versionIds.size(); i++) {
            arms.add(arm(CampaignStore.VariantRow.label(i), stepId, versionIds.get(i), test.metric()));
        }
        WinnerRule.Outcome outcome = WinnerRule.decide(arms, test.minPerVariant(), test.fallbackIndex());
        String rule = WinnerRule.describe(test.metric(), test.minPerVariant());
        if (jdbc.update("UPDATE step_test SET decided_at = ?, winner_index = ?, best_index = ?, fell_back = ?, decision_rule = ?, "
                + "notice = ? WHERE step_id = ? AND decided_at IS NULL", now, outcome.winner(), outcome.best(), outcome.fellBack(),
                rule, outcome.notice(), stepId) != 1) {
            return false;
        }
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < outcome.arms().size(); i++) {
            WinnerRule.Compared c = outcome.arms().get(i);
            rows.add(new Object[]{stepId, i, c.arm().reached(), c.arm().successes(), c.z(), c.p()});
        }
        jdbc.batch("INSERT INTO step_test_arm (step_id, variant_index, reached, successes, z, p_value) VALUES (?, ?, ?, ?, ?, ?)",
                rows);
        FanOut.Result released = fanOut.release(campaign, step, versionIds.get(outcome.winner()), now);
        long count = released.queued().stream().mapToLong(Counters.Increment::amount).sum();
        jdbc.update("UPDATE step_test SET released = ? WHERE step_id = ?", count, stepId);
        audit.record("campaign.variant_decision", "campaign", campaignId, detail(step, test, outcome, rule, count));
        // Counters last, in the dispatcher's lock order (campaign row, then report rows).
        counters.add(released.queued());
        LOG.info("Campaign {} step {}: variant {} {} ({} held messages released){}", campaignId, step.order(),
                CampaignStore.VariantRow.label(outcome.winner()), outcome.fellBack() ? "sent as the fallback" : "won", count,
                outcome.notice() == null ? "" : ": " + outcome.notice());
        return true;
    }

    /**
     * When the wait starts: the step's first send. A test share that got nothing sent (nobody in it
     * reachable) starts it when enrollment has finished and nothing of the step is left to send, so
     * the rest are still released, on the fallback.
     */
    private Instant testStart(long campaignId, long stepId) {
        Instant first = jdbc.queryOne("SELECT MIN(sent_at) AS first FROM message WHERE step_id = ?",
                rs -> Jdbc.instant(rs, "first"), stepId).orElse(null);
        if (first != null) {
            return first;
        }
        return jdbc.queryOne("SELECT c.enrollment_finished_at FROM campaign c WHERE c.id = ? AND NOT EXISTS "
                        + "(SELECT 1 FROM message m WHERE m.step_id = ? AND m.status IN ('PENDING', 'SENDING'))",
                rs -> Jdbc.instant(rs, "enrollment_finished_at"), campaignId, stepId).orElse(null);
    }

    /** A variant's test numbers from the report's counters: before the decision only the test share has messages. */
    private WinnerRule.Arm arm(String label, long stepId, long versionId, String metric) {
        String successes = metric.equals("BOOKING") ? "booked" : "clicked_unique";
        return jdbc.queryOne("SELECT COALESCE(SUM(sent), 0), COALESCE(SUM(" + successes + "), 0) FROM report_counter "
                        + "WHERE step_id = ? AND template_version_id = ?",
                rs -> new WinnerRule.Arm(label, rs.getLong(1), rs.getLong(2)), stepId, versionId).orElseThrow();
    }

    private static Map<String, Object> detail(CampaignStore.StepRow step, CampaignStore.TestRow test, WinnerRule.Outcome o,
                                              String rule, long released) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stepId", step.id());
        d.put("stepOrder", step.order());
        d.put("winner", CampaignStore.VariantRow.label(o.winner()));
        d.put("fellBack", o.fellBack());
        d.put("metric", test.metric());
        d.put("rule", rule);
        if (o.notice() != null) {
            d.put("notice", o.notice());
        }
        List<Map<String, Object>> arms = new ArrayList<>();
        for (WinnerRule.Compared c : o.arms()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("label", c.arm().label());
            a.put("reached", c.arm().reached());
            a.put("successes", c.arm().successes());
            if (c.arm().rate() != null) {
                a.put("rate", c.arm().rate());
            }
            if (c.p() != null) {
                a.put("pValue", c.p());
            }
            if (c.z() != null) {
                a.put("z", c.z());
            }
            arms.add(a);
        }
        d.put("variants", arms);
        d.put("released", released);
        return d;
    }
}
