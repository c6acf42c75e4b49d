package health.outreach.events;

import health.outreach.common.Jdbc;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recounts a campaign's report counters from the raw rows (events, messages, enrollments,
 * bookings by their current status), lists every difference as drift, and when asked writes the
 * recount in place.
 *
 * <p>The campaign's counter rows are locked first. A transaction still recording an event then
 * waits on that lock and adds its increment after ours commits; its event was not visible to the
 * recount, so nothing is counted twice or lost. Repairs add the difference in place (rows are never
 * deleted or overwritten), so an increment to a row created meanwhile is kept too. skipped_no_date has no raw rows and is left alone.
 */
@Singleton
public class CounterRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(CounterRebuild.class);

    @Serdeable
    public record Drift(long campaignId, String key, String metric, long counted, long recounted) {
    }

    @Serdeable
    public record Result(int campaigns, boolean applied, List<Drift> drift) {
    }

    record Key(long stepId, String channel, long versionId, LocalDate day) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return toString().compareTo(o.toString());
        }
    }

    /**
     * Event types and the report_counter column each one increments. A send is not an event: the
     * message row holds it (sent_at), and so do unknown outcomes still to resolve (status UNKNOWN).
     * Booked and attended are recounted from the bookings' current statuses ({@link #conversions}).
     */
    private static final Map<String, Metric> EVENT_METRICS = Map.ofEntries(Map.entry("DELIVERED", Metric.DELIVERED),
            Map.entry("FAILED", Metric.FAILED), Map.entry("BOUNCED", Metric.BOUNCED), Map.entry("OPENED", Metric.OPENED),
            Map.entry("CLICKED", Metric.CLICKED), Map.entry("UNSUBSCRIBED", Metric.UNSUBSCRIBED),
            Map.entry("STOPPED", Metric.UNSUBSCRIBED), Map.entry("REPLIED", Metric.REPLIED),
            Map.entry("LEASE_EXPIRED", Metric.POSSIBLE_DUPLICATE), Map.entry("RESENT", Metric.POSSIBLE_DUPLICATE));
    private static final String DAY = "CAST(%s AT TIME ZONE 'UTC' AS DATE)";

    private final Jdbc jdbc;
    private final TransactionOperations<Connection> transactions;

    public CounterRebuild(Jdbc jdbc, TransactionOperations<Connection> transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Every campaign that ever counted anything, one transaction each. */
    public Result all(boolean apply) {
        List<Long> ids = jdbc.query("SELECT id FROM campaign WHERE status <> 'DRAFT' ORDER BY id", rs -> rs.getLong(1));
        List<Drift> drift = new ArrayList<>();
        for (long id : ids) {
            drift.addAll(campaign(id, apply));
        }
        if (!drift.isEmpty()) {
            LOG.warn("Report counters drifted from the raw events in {} places{}", drift.size(), apply ? " (repaired)" : "");
        }
        return new Result(ids.size(), apply, drift);
    }

    public List<Drift> campaign(long campaignId, boolean apply) {
        return transactions.executeWrite(status -> {
            // The same order as the live path (campaign_counter, then report_counter), so the two cannot deadlock.
            jdbc.query("SELECT campaign_id FROM campaign_counter WHERE campaign_id = ? FOR UPDATE", rs -> null, campaignId);
            jdbc.query("SELECT campaign_id FROM report_counter WHERE campaign_id = ? FOR UPDATE", rs -> null, campaignId);
            Map<Key, Map<Metric, Long>> counted = counted(campaignId);
            Map<Key, Map<Metric, Long>> recount = recount(campaignId);
            List<Drift> drift = new ArrayList<>();
            Map<Key, Map<Metric, Long>> all = new TreeMap<>(counted);
            recount.keySet().forEach(k -> all.putIfAbsent(k, new EnumMap<>(Metric.class)));
            for (Key key : all.keySet()) {
                Map<Metric, Long> was = counted.getOrDefault(key, Map.of());
                Map<Metric, Long> is = recount.getOrDefault(key, Map.of());
                boolean differs = false;
                for (Metric m : Metric.values()) {
                    long a = was.getOrDefault(m, 0L);
                    long b = is.getOrDefault(m, 0L);
                    if (a != b) {
                        drift.add(new Drift(campaignId, key.stepId() + "/" + key.channel() + "/" + key.versionId() + "/" + key.day(),
                                m.column(), a, b));
                        differs = true;
                    }
                }
                if (apply && differs) {
                    write(campaignId, key, was, is);
                }
            }
            drift.addAll(campaignCounters(campaignId, apply));
            return drift;
        });
    }

    private Map<Key, Map<Metric, Long>> counted(long campaignId) {
        Map<Key, Map<Metric, Long>> out = new TreeMap<>();
        jdbc.query("SELECT * FROM report_counter WHERE campaign_id = ?", rs -> {
            Map<Metric, Long> values = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                values.put(m, rs.getLong(m.column()));
            }
            out.put(new Key(rs.getLong("step_id"), rs.getString("channel"), rs.getLong("template_version_id"),
                    rs.getObject("bucket_date", LocalDate.class)), values);
            return null;
        }, campaignId);
        return out;
    }

    private Map<Key, Map<Metric, Long>> recount(long campaignId) {
        Map<Key, Map<Metric, Long>> out = new TreeMap<>();
        jdbc.query("SELECT COALESCE(e.step_id, 0), e.channel, COALESCE(m.template_version_id, 0), " + DAY.formatted("e.occurred_at")
                        + ", e.event_type, COUNT(*) FROM event e JOIN message m ON m.id = e.message_id WHERE e.campaign_id = ? "
                        + "AND e.event_type IN ('DELIVERED', 'FAILED', 'BOUNCED', 'OPENED', 'CLICKED', 'UNSUBSCRIBED', "
                        + "'STOPPED', 'REPLIED', 'LEASE_EXPIRED', 'RESENT') GROUP BY 1, 2, 3, 4, 5",
                rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class),
                        EVENT_METRICS.get(rs.getString(5)), rs.getLong(6)), campaignId);
        // A message's first click is its unique click.
        jdbc.query("SELECT COALESCE(m.step_id, 0), m.channel, COALESCE(m.template_version_id, 0), " + DAY.formatted("f.first_click")
                        + ", COUNT(*) FROM (SELECT message_id, MIN(occurred_at) AS first_click FROM event WHERE campaign_id = ? "
                        + "AND event_type = 'CLICKED' GROUP BY message_id) f JOIN message m ON m.id = f.message_id GROUP BY 1, 2, 3, 4",
                rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class),
                        Metric.CLICKED_UNIQUE, rs.getLong(5)), campaignId);
        // Sent: every message accepted by its provider, on the day it was. Unknown: those still to resolve.
        jdbc.query("SELECT step_id, channel, template_version_id, " + DAY.formatted("sent_at") + ", COUNT(*) FROM message "
                        + "WHERE campaign_id = ? AND sent_at IS NOT NULL GROUP BY 1, 2, 3, 4",
                rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class), Metric.SENT,
                        rs.getLong(5)), campaignId);
        jdbc.query("SELECT step_id, channel, template_version_id, " + DAY.formatted("failed_at") + ", COUNT(*) FROM message "
                        + "WHERE campaign_id = ? AND status = 'UNKNOWN' GROUP BY 1, 2, 3, 4",
                rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class),
                        Metric.UNKNOWN_OUTCOME, rs.getLong(5)), campaignId);
        // Queued: every message fanned out, on its enrollment's day. Skipped: on the day it was skipped.
        jdbc.query("SELECT m.step_id, m.channel, m.template_version_id, " + DAY.formatted("e.enrolled_at") + ", COUNT(*) "
                        + "FROM message m JOIN enrollment e ON e.id = m.enrollment_id WHERE m.campaign_id = ? GROUP BY 1, 2, 3, 4",
                rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class), Metric.QUEUED,
                        rs.getLong(5)), campaignId);
        jdbc.query("SELECT step_id, channel, template_version_id, " + DAY.formatted("updated_at") + ", COUNT(*) FROM message "
                        + "WHERE campaign_id = ? AND status = 'SKIPPED' GROUP BY 1, 2, 3, 4",
                rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class), Metric.SKIPPED,
                        rs.getLong(5)), campaignId);
        conversions(out, campaignId);
        return out;
    }

    /**
     * People who booked and who attended, each at the step, channel, version and UTC request day of
     * their counting booking: their oldest credited booking in the statuses that count (what the live
     * path keeps, {@code booking.BookingCounts}).
     */
    private void conversions(Map<Key, Map<Metric, Long>> out, long campaignId) {
        for (Conversion c : Conversion.values()) {
            jdbc.query("SELECT COALESCE(b.step_id, 0), b.channel, COALESCE(b.template_version_id, 0), " + DAY.formatted("b.requested_at")
                            + ", COUNT(*) FROM booking b WHERE b.campaign_id = ? AND b.attribution = 'ATTRIBUTED' AND b.status IN ("
                            + c.sqlList() + ") AND NOT EXISTS (SELECT 1 FROM booking o WHERE o.campaign_id = b.campaign_id "
                            + "AND o.contact_id = b.contact_id AND o.attribution = 'ATTRIBUTED' AND o.status IN (" + c.sqlList()
                            + ") AND o.id < b.id) GROUP BY 1, 2, 3, 4",
                    rs -> add(out, rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getObject(4, LocalDate.class), c.metric(),
                            rs.getLong(5)), campaignId);
        }
    }

    private static Object add(Map<Key, Map<Metric, Long>> out, long step, String channel, long version, LocalDate day,
                              Metric metric, long n) {
        out.computeIfAbsent(new Key(step, channel, version, day), k -> new EnumMap<>(Metric.class)).merge(metric, n, Long::sum);
        return null;
    }

    /** Adds the difference rather than setting the value, so an increment committed meanwhile is kept. */
    private void write(long campaignId, Key key, Map<Metric, Long> was, Map<Metric, Long> is) {
        jdbc.update("INSERT INTO report_counter (campaign_id, step_id, channel, template_version_id, bucket_date) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", campaignId, key.stepId(), key.channel(), key.versionId(), key.day());
        StringBuilder set = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Metric m : Metric.values()) {
            set.append(set.length() == 0 ? "" : ", ").append(m.column()).append(" = ").append(m.column()).append(" + ?");
            params.add(is.getOrDefault(m, 0L) - was.getOrDefault(m, 0L));
        }
        params.addAll(List.of(campaignId, key.stepId(), key.channel(), key.versionId(), key.day()));
        jdbc.update("UPDATE report_counter SET " + set + " WHERE campaign_id = ? AND step_id = ? AND channel = ? "
                + "AND template_version_id = ? AND bucket_date = ?", params.toArray());
    }

    private List<Drift> campaignCounters(long campaignId, boolean apply) {
        Map<CampaignMetric, Long> recount = new EnumMap<>(CampaignMetric.class);
        jdbc.query("SELECT COUNT(*), COUNT(CASE WHEN holdout THEN 1 END), COUNT(first_reached_at) FROM enrollment WHERE campaign_id = ?",
                rs -> {
                    recount.put(CampaignMetric.ENROLLED, rs.getLong(1));
                    recount.put(CampaignMetric.HOLDOUT, rs.getLong(2));
                    recount.put(CampaignMetric.REACHED, rs.getLong(3));
                    return null;
                }, campaignId);
        // People, not bookings: a person with two confirmed bookings counts once, one whose bookings were all cancelled not at all.
        for (Conversion c : Conversion.values()) {
            jdbc.query("SELECT COUNT(DISTINCT CASE WHEN attribution = 'ATTRIBUTED' THEN contact_id END), "
                    + "COUNT(DISTINCT CASE WHEN attribution = 'HOLDOUT' THEN contact_id END) FROM booking "
                    + "WHERE campaign_id = ? AND status IN (" + c.sqlList() + ")", rs -> {
                        recount.put(c.people(false), rs.getLong(1));
                        recount.put(c.people(true), rs.getLong(2));
                        return null;
                    }, campaignId);
        }
        Conversion.STATUSES.forEach(s -> recount.put(CampaignMetric.bookings(s), 0L));
        jdbc.query("SELECT status, COUNT(*) FROM booking WHERE campaign_id = ? AND attribution = 'ATTRIBUTED' GROUP BY status",
                rs -> recount.put(CampaignMetric.bookings(rs.getString(1)), rs.getLong(2)), campaignId);
        Map<CampaignMetric, Long> counted = new EnumMap<>(CampaignMetric.class);
        jdbc.query("SELECT * FROM campaign_counter WHERE campaign_id = ?", rs -> {
            recount.keySet().forEach(m -> {
                try {
                    counted.put(m, rs.getLong(m.column()));
                } catch (java.sql.SQLException e) {
                    throw new Jdbc.DataAccessFailure(e);
                }
            });
            return null;
        }, campaignId);
        List<Drift> drift = new ArrayList<>();
        recount.forEach((m, n) -> {
            long was = counted.getOrDefault(m, 0L);
            if (was != n) {
                drift.add(new Drift(campaignId, "campaign", m.column(), was, n));
                if (apply) {
                    jdbc.update("INSERT INTO campaign_counter (campaign_id) VALUES (?) ON CONFLICT DO NOTHING", campaignId);
                    jdbc.update("UPDATE campaign_counter SET " + m.column() + " = " + m.column() + " + ? WHERE campaign_id = ?",
                            n - was, campaignId);
                }
            }
        });
        return drift;
    }
}
