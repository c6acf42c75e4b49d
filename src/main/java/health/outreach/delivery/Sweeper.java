package health.outreach.delivery;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.campaign.CampaignStatus;
import health.outreach.campaign.CampaignStore;
import health.outreach.channel.Channel;
import health.outreach.common.Jdbc;
import health.outreach.imports.ImportJobs;
import health.outreach.report.Counters;
import health.outreach.report.Metric;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * The periodic safety net, fired by Quartz on one node at a time: returns the claims of dispatchers
 * whose heartbeat went stale (a node died mid-send; what it had on the wire is flagged as a possible
 * duplicate), launches campaigns whose launch
 * trigger was lost, resumes interrupted enrollments, pauses campaigns failing too often, and marks
 * finished ones COMPLETED. Every step reads and writes rows, so running it twice does no harm.
 */
@Singleton
public class Sweeper {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    private static final Duration ERROR_WINDOW = Duration.ofMinutes(15);
    private static final String LEASE_EXPIRED =
            "{\"reason\":\"the sending node stopped while this message was on the wire; it is sent again and may arrive twice\"}";

    private final Jdbc jdbc;
    private final CampaignStore campaigns;
    private final CampaignLauncher launcher;
    private final DispatchSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final ImportJobs imports;
    private final Counters counters;
    private final Clock clock;

    public Sweeper(Jdbc jdbc, CampaignStore campaigns, CampaignLauncher launcher, DispatchSettings settings,
                   TransactionOperations<Connection> transactions, ImportJobs imports, Counters counters, Clock clock) {
        this.imports = imports;
        this.counters = counters;
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
        imports.failSilent(Duration.ofMinutes(1)); // a running import touches its row at least every 10 s
    }

    /**
     * The claims of nodes whose heartbeat went stale (or that never had one: claims from before
     * heartbeats) go back to the outbox. The message a dead node's connection had on the wire may
     * have reached the person; it goes out again flagged as a possible duplicate, with an event and a
     * count. The rest was never sent and gets its attempt back. Answers how many messages returned.
     */
    public int reclaimExpiredLeases() {
        Instant now = clock.instant();
        Instant stale = now.minus(settings.orphanAfter());
        return transactions.executeWrite(status -> {
            List<String> dead = jdbc.query("SELECT node_id FROM dispatch_node WHERE heartbeat_at < ?", rs -> rs.getString(1), stale);
            String owners = "(m.lease_owner NOT IN (SELECT node_id FROM dispatch_node WHERE heartbeat_at >= ?))";
            String onWire = "EXISTS (SELECT 1 FROM dispatch_slot s WHERE s.node_id = m.lease_owner AND s.message_id = m.id)";
            jdbc.update("INSERT INTO event (event_type, occurred_at, recorded_at, contact_id, message_id, campaign_id, step_id, "
                    + "channel, payload) SELECT 'LEASE_EXPIRED', ?, ?, m.contact_id, m.id, m.campaign_id, m.step_id, m.channel, ? "
                    + "FROM message m WHERE m.status = 'SENDING' AND " + owners + " AND " + onWire, now, now, LEASE_EXPIRED, stale);
            List<Counters.Increment> duplicates = jdbc.query("SELECT m.campaign_id, m.step_id, m.channel, m.template_version_id "
                    + "FROM message m WHERE m.status = 'SENDING' AND m.campaign_id IS NOT NULL AND " + owners + " AND " + onWire,
                    rs -> new Counters.Increment(rs.getLong(1), rs.getLong(2), Channel.valueOf(rs.getString(3)), rs.getLong(4),
                            LocalDate.ofInstant(now, ZoneOffset.UTC), Metric.POSSIBLE_DUPLICATE, 1), stale);
            int flagged = jdbc.update("UPDATE message m SET status = 'PENDING', lease_owner = NULL, possible_duplicate = TRUE, "
                    + "last_error = 'its node stopped mid-send: sent again, possible duplicate', updated_at = ? "
                    + "WHERE m.status = 'SENDING' AND " + owners + " AND " + onWire, now, stale);
            int unsent = jdbc.update("UPDATE message m SET status = 'PENDING', lease_owner = NULL, attempts = attempts - 1, "
                    + "updated_at = ? WHERE m.status = 'SENDING' AND " + owners, now, stale);
            if (!dead.isEmpty()) {
                Jdbc.SqlArray nodes = Jdbc.array("varchar", dead);
                jdbc.update("DELETE FROM dispatch_slot WHERE node_id = ANY (?)", nodes);
                jdbc.update("DELETE FROM dispatch_node WHERE node_id = ANY (?)", nodes);
            }
            counters.add(duplicates);
            if (flagged + unsent > 0) {
                LOG.warn("Returned {} messages of stopped dispatchers {} to the outbox; {} were on the wire and may arrive twice",
                        flagged + unsent, dead, flagged);
            }
            return flagged + unsent;
        });
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
                + "AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = cp.id AND m.status IN ('PENDING', 'SENDING'))", c.id());
        if (open == 1 && campaigns.transition(c.id(), CampaignStatus.RUNNING, CampaignStatus.COMPLETED, null)) {
            LOG.info("Campaign {} '{}' completed", c.id(), c.name());
        }
    }
}
