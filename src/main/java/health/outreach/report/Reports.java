package health.outreach.report;

import health.outreach.events.AudienceCounters;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reports read counters only (report_counter, campaign_counter, audience_counter) and one
 * campaign's bookings for the time-to-booking histogram, so their cost does not grow with events.
 */
@Singleton
public class Reports {

    @Serdeable
    public record Segment(long id, String name) {
    }

    @Serdeable
    public record CampaignReport(long campaignId, String name, String status, Segment segment, long enrolled, long holdout,
                                 long reached, long sent, long delivered, long failed, long clicked, long unsubscribed, long booked,
                                 long bookedHoldout, @Nullable Double conversionRate, @Nullable Double holdoutConversionRate,
                                 Lift lift, @Nullable Integer medianDaysToBooking, @Nullable Integer p75DaysToBooking,
                                 List<DaysToBooking.Bucket> daysToBooking, List<FunnelRow> byStep, List<FunnelRow> byChannel,
                                 List<FunnelRow> byTemplateVersion, List<FunnelRow> byDay, List<AudienceRow> byRegion,
                                 List<AudienceRow> byLocale, long unknown, long possibleDuplicates) {
    }

    /** One counter row as stored, with the names needed to label it. */
    private record Cell(long stepId, int stepOrder, String channel, long versionId, String template, int version, LocalDate day,
                        FunnelRow.Sum sum) {
    }

    static final String OTHER = "other";

    private final Jdbc jdbc;
    private final int minCell;

    public Reports(Jdbc jdbc, @Value("${outreach.reports.min-cell:5}") int minCell) {
        this.jdbc = jdbc;
        this.minCell = minCell;
    }

    public CampaignReport campaign(long campaignId) {
        record Head(String name, String status, long segmentId, String segmentName) {
        }
        Head head = jdbc.queryOne("SELECT c.name, c.status, s.id, s.name FROM campaign c JOIN segment s ON s.id = c.segment_id "
                        + "WHERE c.id = ?", rs -> new Head(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)), campaignId)
                .orElseThrow(() -> ProblemException.notFound("Campaign", campaignId));
        long[] cc = jdbc.queryOne("SELECT enrolled, holdout, reached, booked, booked_holdout FROM campaign_counter WHERE campaign_id = ?",
                rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}, campaignId)
                .orElse(new long[5]);
        List<Cell> cells = cells(campaignId);
        FunnelRow.Sum total = new FunnelRow.Sum("total", null);
        cells.forEach(c -> total.add(c.sum()));
        DaysToBooking days = DaysToBooking.of(jdbc.query("SELECT days_to_booking, COUNT(*) FROM booking WHERE campaign_id = ? "
                        + "AND attribution = 'ATTRIBUTED' AND days_to_booking IS NOT NULL GROUP BY days_to_booking ORDER BY days_to_booking",
                rs -> new DaysToBooking.Bucket(rs.getInt(1), rs.getLong(2)), campaignId));
        long enrolled = cc[0], holdout = cc[1], reached = cc[2], booked = cc[3], bookedHoldout = cc[4];
        return new CampaignReport(campaignId, head.name(), head.status(), new Segment(head.segmentId(), head.segmentName()),
                enrolled, holdout, reached, total.sent, total.delivered, total.failed, total.clicked, total.unsubscribed, booked,
                bookedHoldout, ratio(booked, reached), ratio(bookedHoldout, holdout), Lift.of(booked, reached, bookedHoldout, holdout),
                days.median(), days.p75(), days.histogram(),
                group(cells, c -> "step-" + c.stepOrder(), c -> "Step " + c.stepOrder() + " · " + c.channel() + " · " + c.template(),
                        Comparator.comparingInt(Cell::stepOrder)),
                group(cells, Cell::channel, c -> null, Comparator.comparing(Cell::channel)),
                group(cells, c -> c.template() + " v" + c.version(), c -> null,
                        Comparator.comparing(Cell::template).thenComparingInt(Cell::version)),
                group(cells, c -> c.day().toString(), c -> null, Comparator.comparing(Cell::day)),
                audience(campaignId, AudienceCounters.Dimension.REGION), audience(campaignId, AudienceCounters.Dimension.LOCALE),
                total.unknown, total.duplicate);
    }

    private List<Cell> cells(long campaignId) {
        return jdbc.query("""
                SELECT r.step_id, COALESCE(s.step_order, 0) AS step_order, r.channel, r.template_version_id,
                       COALESCE(t.name, '') AS template, COALESCE(v.version, 0) AS version, r.bucket_date,
                       r.queued, r.sent, r.delivered, r.failed + r.bounced AS failed, r.skipped, r.opened, r.clicked_unique,
                       r.clicked, r.unsubscribed, r.replied, r.booked, r.unknown_outcome, r.possible_duplicate
                FROM report_counter r
                LEFT JOIN campaign_step s ON s.id = r.step_id
                LEFT JOIN template_version v ON v.id = r.template_version_id
                LEFT JOIN template t ON t.id = v.template_id
                WHERE r.campaign_id = ?""", Reports::cell, campaignId);
    }

    private static Cell cell(ResultSet rs) throws SQLException {
        FunnelRow.Sum s = new FunnelRow.Sum("", null);
        s.queued = rs.getLong("queued");
        s.sent = rs.getLong("sent");
        s.delivered = rs.getLong("delivered");
        s.failed = rs.getLong("failed");
        s.skipped = rs.getLong("skipped");
        s.opened = rs.getLong("opened");
        s.clicked = rs.getLong("clicked_unique");
        s.clicks = rs.getLong("clicked");
        s.unsubscribed = rs.getLong("unsubscribed");
        s.replied = rs.getLong("replied");
        s.booked = rs.getLong("booked");
        s.unknown = rs.getLong("unknown_outcome");
        s.duplicate = rs.getLong("possible_duplicate");
        return new Cell(rs.getLong("step_id"), rs.getInt("step_order"), rs.getString("channel"), rs.getLong("template_version_id"),
                rs.getString("template"), rs.getInt("version"), rs.getObject("bucket_date", LocalDate.class), s);
    }

    private static List<FunnelRow> group(List<Cell> cells, Function<Cell, String> key, Function<Cell, String> label,
                                         Comparator<Cell> order) {
        Map<String, FunnelRow.Sum> sums = new LinkedHashMap<>();
        cells.stream().sorted(order).forEach(c -> sums.computeIfAbsent(key.apply(c), k -> new FunnelRow.Sum(k, label.apply(c)))
                .add(c.sum()));
        return sums.values().stream().map(FunnelRow.Sum::row).toList();
    }

    /** Regions or languages with fewer than min-cell people reached are merged, so no small group can be singled out. */
    private List<AudienceRow> audience(long campaignId, AudienceCounters.Dimension dimension) {
        List<AudienceRow> rows = new ArrayList<>();
        long otherReached = 0;
        long otherBooked = 0;
        List<Object[]> raw = jdbc.query("SELECT dim_value, reached, booked FROM audience_counter WHERE campaign_id = ? AND dimension = ? "
                        + "ORDER BY reached DESC, dim_value", rs -> new Object[]{rs.getString(1), rs.getLong(2), rs.getLong(3)},
                campaignId, dimension.name());
        for (Object[] r : raw) {
            String key = (String) r[0];
            long reached = (Long) r[1];
            long booked = (Long) r[2];
            if (reached < minCell || key.isEmpty()) {
                otherReached += reached;
                otherBooked += booked;
            } else {
                rows.add(AudienceRow.of(key, reached, booked));
            }
        }
        if (otherReached > 0 || otherBooked > 0) {
            rows.add(AudienceRow.of(OTHER, otherReached, otherBooked));
        }
        return rows;
    }

    static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
