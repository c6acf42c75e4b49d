package health.outreach.report;

import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every campaign's headline numbers (all time), per segment, and what happened over a date range. */
@Singleton
public class Overview {

    @Serdeable
    public record Headline(long campaignId, String name, String status, long segmentId, String segment, long enrolled,
                           long reached, long sent, long clicked, long booked, @Nullable Double conversionRate) {
    }

    @Serdeable
    public record SegmentTotal(long segmentId, String segment, long campaigns, long reached, long booked,
                               @Nullable Double conversionRate) {
    }

    @Serdeable
    public record Totals(long sent, long delivered, long failed, long clicked, long unsubscribed, long booked) {
    }

    @Serdeable
    public record Report(LocalDate from, LocalDate to, Totals totals, List<Headline> campaigns, List<SegmentTotal> bySegment) {
    }

    private final Jdbc jdbc;
    private final health.outreach.program.ProgramService program;

    public Overview(Jdbc jdbc, health.outreach.program.ProgramService program) {
        this.jdbc = jdbc;
        this.program = program;
    }

    /** {@code booked} is the program's conversion: people who booked, or who attended when the program counts that. */
    public Report between(LocalDate from, LocalDate to) {
        String converted = program.conversion().equals("ATTENDED") ? "attended" : "booked"; // a column name of our own
        List<Headline> campaigns = jdbc.query("""
                SELECT c.id, c.name, c.status, s.id, s.name, COALESCE(cc.enrolled, 0), COALESCE(cc.reached, 0),
                       COALESCE(r.sent, 0), COALESCE(r.clicked, 0), COALESCE(cc.%s, 0)
                FROM campaign c
                JOIN segment s ON s.id = c.segment_id
                LEFT JOIN campaign_counter cc ON cc.campaign_id = c.id
                LEFT JOIN (SELECT campaign_id, SUM(sent) AS sent, SUM(clicked_unique) AS clicked
                           FROM report_counter GROUP BY campaign_id) r ON r.campaign_id = c.id
                WHERE c.status <> 'DRAFT'
                ORDER BY c.id DESC""".formatted(converted), rs -> new Headline(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                Reports.ratio(rs.getLong(10), rs.getLong(7))));
        Totals totals = jdbc.queryOne("""
                SELECT COALESCE(SUM(sent), 0), COALESCE(SUM(delivered), 0), COALESCE(SUM(failed + bounced), 0),
                       COALESCE(SUM(clicked_unique), 0), COALESCE(SUM(unsubscribed), 0), COALESCE(SUM(%s), 0)
                FROM report_counter WHERE bucket_date >= ? AND bucket_date <= ?""".formatted(converted),
                rs -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                from, to).orElseThrow();
        Map<Long, long[]> bySegment = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        for (Headline h : campaigns) {
            long[] sums = bySegment.computeIfAbsent(h.segmentId(), k -> new long[3]);
            sums[0]++;
            sums[1] += h.reached();
            sums[2] += h.booked();
            names.put(h.segmentId(), h.segment());
        }
        List<SegmentTotal> segments = bySegment.entrySet().stream().map(e -> new SegmentTotal(e.getKey(), names.get(e.getKey()),
                e.getValue()[0], e.getValue()[1], e.getValue()[2], Reports.ratio(e.getValue()[2], e.getValue()[1]))).toList();
        return new Report(from, to, totals, campaigns, segments);
    }
}
