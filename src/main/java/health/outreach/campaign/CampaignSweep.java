package health.outreach.campaign;

import health.outreach.common.Jdbc;
import health.outreach.delivery.DispatchSettings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The campaigns' part of the periodic sweep: launches campaigns whose launch trigger was lost,
 * resumes interrupted enrollments, decides tested A/B steps whose wait has passed, pauses campaigns failing too often and marks finished ones
 * COMPLETED. Every step reads and writes rows, so running it twice does no harm.
 */
@Singleton
public class CampaignSweep {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignSweep.class);
    private static final Duration ERROR_WINDOW = Duration.ofMinutes(15);

    private final Jdbc jdbc;
    private final CampaignStore campaigns;
    private final CampaignLauncher launcher;
    private final DispatchSettings settings;
    private final WinnerDecision winners;
    private final Clock clock;

    public CampaignSweep(Jdbc jdbc, CampaignStore campaigns, CampaignLauncher launcher, DispatchSettings settings,
                         WinnerDecision winners, Clock clock) {
        this.jdbc = jdbc;
        this.winners = winners;
        this.campaigns = campaigns;
        this.launcher = launcher;
        this.settings = settings;
        this.clock = clock;
    }

    public void sweep() {
        Instant now = clock.instant();
        for (CampaignStore.CampaignRow c : campaigns.withStatus(CampaignStatus.SCHEDULED)) {
            if (c.startsAt() == null || !c.startsAt().isAfter(now)) {
                launcher.launch(c.id());
            }
        }
        for (CampaignStore.CampaignRow c : campaigns.withStatus(CampaignStatus.RUNNING)) {
            if (c.launchedAt() != null && c.launchedAt().isBefore(now.minusSeconds(60))) {
                launcher.continueEnrollment(c.id());
            }
            winners.decideDue(c.id());
            pauseIfFailing(c, now);
            completeIfDone(c);
        }
    }

    /**
     * Pauses a campaign whose messages are refused for themselves too often: permanent failures and
     * bounces over the last 15 minutes, counted from the last resume. A relay's outage or a burst of
     * "try later" answers is the channel's business (its circuit) and never pauses a campaign, nor do
     * unknown outcomes.
     */
    private void pauseIfFailing(CampaignStore.CampaignRow c, Instant now) {
        record Tally(long ok, long bad) {
        }
        Instant from = now.minus(ERROR_WINDOW);
        Instant resumed = jdbc.queryOne("SELECT errors_counted_from FROM campaign WHERE id = ?",
                rs -> Jdbc.instant(rs, "errors_counted_from"), c.id()).orElse(null);
        if (resumed != null && resumed.isAfter(from)) {
            from = resumed;
        }
        Tally t = jdbc.queryOne("SELECT SUM(CASE WHEN status IN ('SENT', 'DELIVERED') THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN status = 'BOUNCED' OR (status = 'FAILED' AND failure_kind = 'PERMANENT') THEN 1 ELSE 0 END) "
                        + "FROM message WHERE campaign_id = ? AND updated_at > ? AND status IN ('SENT', 'DELIVERED', 'FAILED', 'BOUNCED')",
                rs -> new Tally(rs.getLong(1), rs.getLong(2)), c.id(), from).orElse(new Tally(0, 0));
        long total = t.ok() + t.bad();
        if (total < settings.errorMinSample() || (double) t.bad() / total <= settings.errorThreshold()) {
            return;
        }
        String lastError = jdbc.queryOne("SELECT last_error FROM message WHERE campaign_id = ? AND (status = 'BOUNCED' OR "
                + "(status = 'FAILED' AND failure_kind = 'PERMANENT')) ORDER BY updated_at DESC LIMIT 1",
                rs -> rs.getString(1), c.id()).orElse("");
        String reason = String.format(Locale.ROOT, "paused automatically: %d of the last %d messages were refused (%.0f%%); "
                + "last refusal: %s", t.bad(), total, 100.0 * t.bad() / total, lastError);
        if (campaigns.transition(c.id(), CampaignStatus.RUNNING, CampaignStatus.PAUSED, reason.length() > 1000 ? reason.substring(0, 1000) : reason)) {
            LOG.warn("Campaign {} {}", c.id(), reason);
        }
    }

    private void completeIfDone(CampaignStore.CampaignRow c) {
        if (c.recurring()) {
            return;
        }
        long open = jdbc.queryLong("SELECT COUNT(*) FROM campaign cp WHERE cp.id = ? AND cp.enrollment_finished_at IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = cp.id AND m.status IN ('PENDING', 'SENDING')) "
                // A tested step's held people have no message until its decision.
                + "AND NOT EXISTS (SELECT 1 FROM step_test t JOIN campaign_step s ON s.id = t.step_id "
                + "WHERE s.campaign_id = cp.id AND t.decided_at IS NULL)", c.id());
        if (open == 1 && campaigns.transition(c.id(), CampaignStatus.RUNNING, CampaignStatus.COMPLETED, null)) {
            LOG.info("Campaign {} '{}' completed", c.id(), c.name());
        }
    }
}
