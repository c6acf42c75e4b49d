package health.outreach.events;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Report counters, incremented in the caller's transaction by whatever changed them (fan-out,
 * dispatch, events), so reports read a few rows instead of counting raw events. Increments of one
 * batch are summed per key first and applied in key order, so concurrent writers take row locks
 * in the same order and cannot deadlock.
 */
@Singleton
public class Counters {

    /** One step-level increment. {@code stepId}/{@code templateVersionId} are 0 when unknown. */
    public record Increment(long campaignId, long stepId, Channel channel, long templateVersionId, LocalDate day,
                            Metric metric, long amount) {
    }

    private record Key(long campaignId, long stepId, String channel, long versionId, LocalDate day)
            implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(campaignId, o.campaignId);
            if (c == 0) c = Long.compare(stepId, o.stepId);
            if (c == 0) c = channel.compareTo(o.channel);
            if (c == 0) c = Long.compare(versionId, o.versionId);
            if (c == 0) c = day.compareTo(o.day);
            return c;
        }
    }

    private final Jdbc jdbc;
    private final Clock clock;

    public Counters(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void add(List<Increment> increments) {
        Map<Key, Map<Metric, Long>> sums = new TreeMap<>();
        for (Increment i : increments) {
            if (i.amount() == 0) {
                continue;
            }
            Key key = new Key(i.campaignId(), i.stepId(), i.channel().name(), i.templateVersionId(), i.day());
            sums.computeIfAbsent(key, k -> new TreeMap<>()).merge(i.metric(), i.amount(), Long::sum);
        }
        if (sums.isEmpty()) {
            return;
        }
        // Rows exist after a key's first count, so the UPDATE usually suffices; a key it missed
        // gets its row inserted and the UPDATE again.
        List<Key> missing = new ArrayList<>();
        sums.forEach((k, metrics) -> {
            if (increment(k, metrics) == 0) {
                missing.add(k);
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        List<Object[]> ensure = new ArrayList<>();
        for (Key k : missing) {
            ensure.add(new Object[]{k.campaignId(), k.stepId(), k.channel(), k.versionId(), k.day()});
        }
        jdbc.batch("INSERT INTO report_counter (campaign_id, step_id, channel, template_version_id, bucket_date) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", ensure);
        missing.forEach(k -> increment(k, sums.get(k)));
    }

    private int increment(Key k, Map<Metric, Long> metrics) {
        List<Object> params = new ArrayList<>();
        String set = increments(metrics, Metric::column, params);
        if (params.isEmpty()) {
            return 1; // the amounts cancelled out: nothing to write, and no row needed
        }
        params.addAll(List.of(k.campaignId(), k.stepId(), k.channel(), k.versionId(), k.day()));
        return jdbc.update("UPDATE report_counter SET " + set + " WHERE campaign_id = ? AND step_id = ? AND channel = ? "
                + "AND template_version_id = ? AND bucket_date = ?", params.toArray());
    }

    /** {@code "a = a + ?, b = b + ?"} for the non-zero amounts, in key order, their values appended to {@code params}. */
    private static <M extends Comparable<M>> String increments(Map<M, Long> amounts, Function<M, String> column,
                                                               List<Object> params) {
        StringJoiner set = new StringJoiner(", ");
        new TreeMap<>(amounts).forEach((metric, amount) -> {
            if (amount != 0) {
                set.add(column.apply(metric) + " = " + column.apply(metric) + " + ?");
                params.add(amount);
            }
        });
        return set.toString();
    }

    public void add(long campaignId, CampaignMetric metric, long amount) {
        add(campaignId, Map.of(metric, amount));
    }

    /**
     * Several campaign-level increments in one statement. The row exists after the campaign's
     * first count, so the UPDATE usually suffices; the INSERT runs only when it matched nothing.
     */
    public void add(long campaignId, Map<CampaignMetric, Long> amounts) {
        List<Object> params = new ArrayList<>();
        String set = increments(amounts, CampaignMetric::column, params);
        if (params.isEmpty()) {
            return;
        }
        params.add(clock.instant());
        params.add(campaignId);
        String update = "UPDATE campaign_counter SET " + set + ", updated_at = ? WHERE campaign_id = ?";
        if (jdbc.update(update, params.toArray()) == 0) {
            jdbc.update("INSERT INTO campaign_counter (campaign_id) VALUES (?) ON CONFLICT DO NOTHING", campaignId);
            jdbc.update(update, params.toArray());
        }
    }

    public Map<CampaignMetric, Long> campaign(long campaignId) {
        Map<CampaignMetric, Long> values = new TreeMap<>();
        jdbc.query("SELECT * FROM campaign_counter WHERE campaign_id = ?", rs -> {
            for (CampaignMetric m : CampaignMetric.values()) {
                values.put(m, rs.getLong(m.column()));
            }
            return null;
        }, campaignId);
        for (CampaignMetric m : CampaignMetric.values()) {
            values.putIfAbsent(m, 0L);
        }
        return values;
    }

    /** A new campaign's counter row, so its first increments update rather than insert. */
    public void open(long campaignId) {
        jdbc.update("INSERT INTO campaign_counter (campaign_id) VALUES (?) ON CONFLICT DO NOTHING", campaignId);
    }

    /** A deleted (draft) campaign's counter row goes with it. */
    public void close(long campaignId) {
        jdbc.update("DELETE FROM campaign_counter WHERE campaign_id = ?", campaignId);
    }
}
