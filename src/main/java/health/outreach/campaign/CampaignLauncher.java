package health.outreach.campaign;

import health.outreach.contact.Reachability;
import health.outreach.common.Jdbc;
import health.outreach.events.CampaignMetric;
import health.outreach.events.Counters;
import health.outreach.segment.SegmentService;
import health.outreach.segment.SqlPredicate;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Launch: SCHEDULED → RUNNING, then enrollment and fan-out in batches of contact ids, one
 * transaction each, the campaign row locked so two nodes never work on the same batch, and the
 * checkpoint advanced with the rows it covers. A launch that dies half-way is resumed by the sweep.
 */
@Singleton
public class CampaignLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignLauncher.class);
    static final int BATCH = 10_000;

    private final CampaignStore store;
    private final SegmentService segments;
    private final FanOut fanOut;
    private final LaunchSchedule scheduler;
    private final Counters counters;
    private final Jdbc jdbc;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    public CampaignLauncher(CampaignStore store, SegmentService segments, FanOut fanOut, LaunchSchedule scheduler,
                            Counters counters, Jdbc jdbc, TransactionOperations<Connection> transactions, Clock clock) {
        this.store = store;
        this.segments = segments;
        this.fanOut = fanOut;
        this.scheduler = scheduler;
        this.counters = counters;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Fired by the launch trigger or the sweep; does nothing unless the campaign is still SCHEDULED. */
    public void launch(long campaignId) {
        CampaignStore.CampaignRow campaign = transactions.executeWrite(status -> {
            CampaignStore.CampaignRow c = store.lock(campaignId).orElse(null);
            if (c == null || c.status() != CampaignStatus.SCHEDULED) {
                return null;
            }
            store.transition(campaignId, CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, null);
            return c;
        });
        if (campaign == null) {
            return;
        }
        LOG.info("Campaign {} '{}' launched", campaignId, campaign.name());
        continueEnrollment(campaignId);
        if (campaign.recurring()) {
            scheduler.scheduleEnrollment(campaignId, campaign.cron(), campaign.timeZone());
        }
    }

    /** Enrolls from the checkpoint to the last contact; safe to call from several nodes at once. */
    public void continueEnrollment(long campaignId) {
        long maxId = jdbc.queryLong("SELECT COALESCE(MAX(id), 0) FROM contact");
        int batches = 0;
        while (transactions.executeWrite(status -> checkpointedBatch(campaignId, maxId))) {
            // One batch per transaction. A campaign can be most of the outbox: PostgreSQL's statistics
            // must learn of its messages while it grows, or the claim, planned for a table its
            // statistics call empty, reads every due message to pick a batch (a bitmap scan and a
            // sort instead of the due index in order). After batches 1, 2, 4, 8, ...: a handful of
            // ANALYZEs whatever the campaign's size.
            if (Integer.bitCount(++batches) == 1) {
                jdbc.analyze("message");
            }
        }
        if (batches > 0 && Integer.bitCount(batches) != 1) {
            jdbc.analyze("message");
        }
    }

    private boolean checkpointedBatch(long campaignId, long maxId) {
        CampaignStore.CampaignRow c = store.lock(campaignId).orElse(null);
        if (c == null || (c.status() != CampaignStatus.RUNNING && c.status() != CampaignStatus.PAUSED)) {
            return false;
        }
        record Checkpoint(long cursor, Instant finished) {
        }
        Checkpoint checkpoint = jdbc.queryOne("SELECT enrollment_cursor, enrollment_finished_at FROM campaign WHERE id = ?",
                rs -> new Checkpoint(rs.getLong(1), Jdbc.instant(rs, "enrollment_finished_at")), campaignId).orElseThrow();
        if (checkpoint.finished() != null) {
            return false;
        }
        if (checkpoint.cursor() >= maxId) {
            jdbc.update("UPDATE campaign SET enrollment_finished_at = ? WHERE id = ?", clock.instant(), campaignId);
            return false;
        }
        long to = Math.min(checkpoint.cursor() + BATCH, maxId);
        enrollRange(c, checkpoint.cursor(), to);
        jdbc.update("UPDATE campaign SET enrollment_cursor = ? WHERE id = ?", to, campaignId);
        return true;
    }

    /** A recurring campaign's cron run: everyone newly in the segment (those enrolled before are skipped by SQL). */
    public void enrollNewMembers(long campaignId) {
        long maxId = jdbc.queryLong("SELECT COALESCE(MAX(id), 0) FROM contact");
        for (long from = 0; from < maxId; from += BATCH) {
            long start = from;
            boolean running = transactions.executeWrite(status -> {
                CampaignStore.CampaignRow c = store.lock(campaignId).orElse(null);
                if (c == null || c.status() != CampaignStatus.RUNNING) {
                    return false;
                }
                enrollRange(c, start, Math.min(start + BATCH, maxId));
                return true;
            });
            if (!running) {
                return;
            }
        }
    }

    /**
     * One INSERT ... SELECT enrolls the segment's members in (fromId, toId] who may be reached on
     * at least one of the campaign's channels and are not enrolled yet; a deterministic hash of the
     * contact id puts holdoutPercent of them in the control group. Then their messages.
     * The already-enrolled check repeats the id range inside NOT EXISTS so that every plan reads
     * only this batch's enrollments: PostgreSQL caches a generic plan made while the campaign had
     * none, and without the range that plan read and sorted all of them every batch (quadratic).
     */
    private void enrollRange(CampaignStore.CampaignRow c, long fromId, long toId) {
        List<CampaignStore.StepRow> steps = store.steps(c.id());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        SqlPredicate segment = segments.predicate(c.segmentId());
        Set<health.outreach.common.Channel> channels = steps.stream().map(CampaignStore.StepRow::channel)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String reachable = channels.stream().map(Reachability::sql).collect(Collectors.joining(" OR "));
        List<Object> params = new ArrayList<>(List.of(c.id(), now, c.id(), c.holdoutPercent(), c.timeZone(), fromId, toId));
        params.addAll(segment.params());
        channels.forEach(ch -> params.add(now));
        params.addAll(List.of(c.id(), fromId, toId));
        int enrolled = jdbc.update("INSERT INTO enrollment (campaign_id, contact_id, enrolled_at, holdout, time_zone, status) "
                + "SELECT ?, c.id, ?, MOD(c.id * 7919 + ?, 100) < ?, COALESCE(c.time_zone, cl.time_zone, ?), 'ACTIVE' "
                + "FROM contact c LEFT JOIN clinic cl ON cl.id = c.clinic_id "
                + "WHERE c.id > ? AND c.id <= ? AND c.erased_at IS NULL AND (" + segment.sql() + ") AND (" + reachable + ") "
                + "AND NOT EXISTS (SELECT 1 FROM enrollment x WHERE x.campaign_id = ? AND x.contact_id = c.id "
                + "AND x.contact_id > ? AND x.contact_id <= ?)",
                params.toArray());
        if (enrolled == 0) {
            return;
        }
        long holdout = jdbc.queryLong("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ? AND contact_id > ? "
                + "AND contact_id <= ? AND enrolled_at = ? AND holdout", c.id(), fromId, toId, now);
        FanOut.Result written = fanOut.messagesFor(c, steps, fromId, toId, now);
        // Counters last, in the dispatcher's lock order (campaign row, then report rows): every
        // dispatcher increments these rows, and would wait for this batch's whole fan-out otherwise.
        counters.add(c.id(), Map.of(CampaignMetric.ENROLLED, (long) enrolled, CampaignMetric.HOLDOUT, holdout,
                CampaignMetric.SKIPPED_NO_DATE, written.skippedNoDate()));
        counters.add(written.queued());
    }
}
