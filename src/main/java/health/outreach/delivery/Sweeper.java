package health.outreach.delivery;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.campaign.CampaignStatus;
import health.outreach.campaign.CampaignStore;
import health.outreach.common.Jdbc;
import health.outreach.imports.ImportJobs;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The periodic safety net, fired by Quartz on one node at a time: frees expired leases (a node died
 * mid-send; each such message is recorded as a possible duplicate), launches campaigns whose launch
 * trigger was lost, resumes interrupted enrollments, pauses campaigns failing too often, and marks
 * finished ones COMPLETED. Every step reads and writes rows, so running it twice does no harm.
 */
@Singleton
public class Sweeper {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    private static final Duration ERROR_WINDOW = Duration.ofMinutes(15);
    private static final String LEASE_EXPIRED =
            "{\"reason\":\"the sending node stopped mid-send; the message is sent again and may arrive twice\"}";

    private final Jdbc jdbc;
    private final CampaignStore campaigns;
    private final CampaignLauncher launcher;
    private final DispatchSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final ImportJobs imports;
    private final Clock clock;

    public Sweeper(Jdbc jdbc, CampaignStore campaigns, CampaignLauncher launcher, DispatchSettings settings,
                   TransactionOperations<Connection> transactions, ImportJobs imports, Clock clock) {
        this.imports = imports;
        this.jdbc = jdbc;
        this.campaigns = campaigns;
        this.launcher = launcher;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
    }

    public void sweep() {
        reclaimExpiredLeases();
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
            pauseIfFailing(c, now);
            completeIfDone(c);
        }
        // Webhook ids only need remembering while a provider might still retry (Twilio: hours;
        // Standard Webhooks: the 5-minute tolerance), so the table stays small.
        jdbc.update("DELETE FROM webhook_receipt WHERE received_at < ?", now.minus(Duration.ofDays(7)));
        imports.failSilent(Duration.ofMinutes(10));
    }

    /** Messages whose node stopped before recording an outcome go back to PENDING, each with an event. */
    public int reclaimExpiredLeases() {
        Instant now = clock.instant();
        return transactions.executeWrite(status -> {
            jdbc.update("INSERT INTO event (event_type, occurred_at, recorded_at, contact_id, message_id, campaign_id, step_id, "
                    + "channel, payload) SELECT 'LEASE_EXPIRED', ?, ?, contact_id, id, campaign_id, step_id, channel, ? "
                    + "FROM message WHERE status = 'SENDING' AND lease_until < ?", now, now, LEASE_EXPIRED, now);
            int freed = jdbc.update("UPDATE message SET status = 'PENDING', lease_owner = NULL, lease_until = NULL, "
                    + "last_error = 'lease expired: sent again, possible duplicate', updated_at = ? "
                    + "WHERE status = 'SENDING' AND lease_until < ?", now, now);
            if (freed > 0) {
                LOG.warn("Freed {} messages whose sending node stopped mid-send", freed);
            }
            return freed;
        });
    }

    private void pauseIfFailing(CampaignStore.CampaignRow c, Instant now) {
        record Tally(long ok, long bad) {
        }
        Tally t = jdbc.queryOne("SELECT SUM(CASE WHEN status IN ('SENT', 'DELIVERED') THEN 1 ELSE 0 END), "
                        + "SUM(CASE WHEN status IN ('FAILED', 'BOUNCED', 'UNKNOWN') THEN 1 ELSE 0 END) "
                        + "FROM message WHERE campaign_id = ? AND updated_at > ? AND status IN ('SENT', 'DELIVERED', 'FAILED', 'BOUNCED', 'UNKNOWN')",
                rs -> new Tally(rs.getLong(1), rs.getLong(2)), c.id(), now.minus(ERROR_WINDOW)).orElse(new Tally(0, 0));
        long total = t.ok() + t.bad();
        if (total < settings.errorMinSample() || (double) t.bad() / total <= settings.errorThreshold()) {
            return;
        }
        String lastError = jdbc.queryOne("SELECT last_error FROM message WHERE campaign_id = ? AND status IN "
                + "('FAILED', 'BOUNCED', 'UNKNOWN') ORDER BY updated_at DESC LIMIT 1", rs -> rs.getString(1), c.id()).orElse("");
        String reason = String.format(Locale.ROOT, "paused automatically: %d of the last %d sends failed (%.0f%%); last error: %s",
                t.bad(), total, 100.0 * t.bad() / total, lastError);
        if (campaigns.transition(c.id(), CampaignStatus.RUNNING, CampaignStatus.PAUSED, reason.length() > 1000 ? reason.substring(0, 1000) : reason)) {
            LOG.warn("Campaign {} {}", c.id(), reason);
        }
    }

    private void completeIfDone(CampaignStore.CampaignRow c) {
        if (c.recurring()) {
            return;
        }
        long open = jdbc.queryLong("SELECT COUNT(*) FROM campaign cp WHERE cp.id = ? AND cp.enrollment_finished_at IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = cp.id AND m.status IN ('PENDING', 'SENDING'))", c.id());
        if (open == 1 && campaigns.transition(c.id(), CampaignStatus.RUNNING, CampaignStatus.COMPLETED, null)) {
            LOG.info("Campaign {} '{}' completed", c.id(), c.name());
        }
    }
}
