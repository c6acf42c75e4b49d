package health.outreach.report;

import health.outreach.events.AudienceCounters;
import health.outreach.events.Conversion;
import health.outreach.program.ProgramService;
import health.outreach.program.RegionNames;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.config.ReportSettings;
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
 * People who booked and who attended are both counted; the program's setting says which of the two
 * is the conversion that rates, the holdout comparison and lift are computed on.
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
                                 List<AudienceRow> byLocale, long unknown, long possibleDuplicates, String conversion,
                                 long attended, long attendedHoldout, long converted, long convertedHoldout,
                                 List<StatusCount> bookingsByStatus, List<VariantReport.StepVariants> variants) {
    }

    /** How many of the bookings credited to the campaign are now in one status. */
    @Serdeable
    public record StatusCount(String status, long bookings) {
    }

    /** One counter row as stored, with the names needed to label it. */
    private record Cell(long stepId, int stepOrder, String channel, long versionId, String template, int version, LocalDate day,
                        FunnelRow.Sum sum) {
    }

    static final String OTHER = "other";

    private final Jdbc jdbc;
    private final int minCell;
    private final ProgramService program;
    private final RegionNames regions;

    public Reports(Jdbc jdbc, ReportSettings settings, ProgramService program, RegionNames regions) {
        this.jdbc = jdbc;
        this.minCell = settings.minCell();
        this.program = program;
        this.regions = regions;
    }

    public CampaignReport campaign(long campaignId) {
        record Head(String name, String status, long segmentId, String segmentName) {
        }
        Head head = jdbc.queryOne("SELECT c.name, c.status, s.id, s.name FROM campaign c JOIN segment s ON s.id = c.segment_id "
                        + "WHERE c.id = ?", rs -> new Head(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)), campaignId)
                .orElseThrow(() -> ProblemException.notFound("Campaign", campaignId));
        String[] columns = {"enrolled", "holdout", "reached", "booked", "booked_holdout", "attended", "attended_holdout"};
        long[] cc = jdbc.queryOne("SELECT " + String.join(", ", columns) + " FROM campaign_counter WHERE campaign_id = ?", rs -> {
            long[] v = new long[columns.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = rs.getLong(i + 1);
            }
            return v;
        }, campaignId).orElse(new long[columns.length]);
        List<StatusCount> statuses = jdbc.queryOne("SELECT " + String.join(", ", Conversion.STATUSES.stream()
                        .map(st -> "bookings_" + st.toLowerCase(java.util.Locale.ROOT)).toList()) + " FROM campaign_counter WHERE campaign_id = ?",
                rs -> {
                    List<StatusCount> out = new ArrayList<>();
                    for (int i = 0; i < Conversion.STATUSES.size(); i++) {
                        out.add(new StatusCount(Conversion.STATUSES.get(i), rs.getLong(i + 1)));
                    }
                    return out;
                }, campaignId).orElse(Conversion.STATUSES.stream().map(st -> new StatusCount(st, 0)).toList());
        List<Cell> cells = cells(campaignId);
        FunnelRow.Sum total = new FunnelRow.Sum("total", null);
        cells.forEach(c -> total.add(c.sum()));
        // Days to booking: bookings the clinic confirmed (a request or a cancelled booking is no booking).
        DaysToBooking days = DaysToBooking.of(jdbc.query("SELECT days_to_booking, COUNT(*) FROM booking WHERE campaign_id = ? "
                        + "AND attribution = 'ATTRIBUTED' AND status IN ('BOOKED', 'ATTENDED', 'NO_SHOW') AND days_to_booking IS NOT NULL "
                        + "GROUP BY days_to_booking ORDER BY days_to_booking",
                rs -> new DaysToBooking.Bucket(rs.getInt(1), rs.getLong(2)), campaignId));
        long enrolled = cc[0], holdout = cc[1], reached = cc[2], booked = cc[3], bookedHoldout = cc[4], attended = cc[5],
                attendedHoldout = cc[6];
        Conversion conversion = Conversion.valueOf(program.conversion());
        boolean onAttended = conversion == Conversion.ATTENDED;
        long converted = onAttended ? attended : booked;
        long convertedHoldout = onAttended ? attendedHoldout : bookedHoldout;
        return new CampaignReport(campaignId, head.name(), head.status(), new Segment(head.segmentId(), head.segmentName()),
                enrolled, holdout, reached, total.sent, total.delivered, total.failed, total.clicked, total.unsubscribed, booked,
                bookedHoldout, ratio(converted, reached), ratio(convertedHoldout, holdout),
                Lift.of(converted, reached, convertedHoldout, holdout),
                days.median(), days.p75(), days.histogram(),
                group(cells, c -> "step-" + c.stepOrder(), c -> "Step " + c.stepOrder() + " · " + c.channel() + " · " + c.template(),
                        Comparator.comparingInt(Cell::stepOrder)),
                group(cells, Cell::channel, c -> null, Comparator.comparing(Cell::channel)),
                group(cells, c -> c.template() + " v" + c.version(), c -> null,
                        Comparator.comparing(Cell::template).thenComparingInt(Cell::version)),
                group(cells, c -> c.day().toString(), c -> null, Comparator.comparing(Cell::day)),
                audience(campaignId, AudienceCounters.Dimension.REGION, regions.names(), onAttended),
                audience(campaignId, AudienceCounters.Dimension.LOCALE, Map.of(), onAttended),
                total.unknown, total.duplicate, conversion.name(), attended, attendedHoldout, converted, convertedHoldout, statuses,
                variants(campaignId, cells));
    }

    /**
     * The A/B steps' variants, counted from the same counter rows: a variant is its step's messages on
     * its template version (a step's variants never share a version).
     */
    private List<VariantReport.StepVariants> variants(long campaignId, List<Cell> cells) {
        record Arm(long stepId, int order, String channel, String label, long templateId, int version, int percent,
                   long versionId, String template) {
        }
        List<Arm> arms = jdbc.query("""
                SELECT v.step_id, s.step_order, s.channel, v.variant_index, v.template_id, v.template_version, v.split_percent,
                       tv.id AS version_id, t.name
                FROM step_variant v
                JOIN campaign_step s ON s.id = v.step_id
                JOIN template_version tv ON tv.template_id = v.template_id AND tv.version = v.template_version
                JOIN template t ON t.id = v.template_id
                WHERE s.campaign_id = ? ORDER BY s.step_order, v.variant_index""",
                rs -> new Arm(rs.getLong(1), rs.getInt(2), rs.getString(3), String.valueOf((char) ('A' + rs.getInt(4))),
                        rs.getLong(5), rs.getInt(6), rs.getInt(7), rs.getLong(8), rs.getString(9)), campaignId);
        Map<Long, List<VariantReport.Counts>> bySteps = new LinkedHashMap<>();
        Map<Long, Arm> firstArm = new LinkedHashMap<>();
        for (Arm a : arms) {
            FunnelRow.Sum sum = new FunnelRow.Sum(a.label(), null);
            cells.stream().filter(c -> c.stepId() == a.stepId() && c.versionId() == a.versionId()).forEach(c -> sum.add(c.sum()));
            firstArm.putIfAbsent(a.stepId(), a);
            bySteps.computeIfAbsent(a.stepId(), k -> new ArrayList<>()).add(new VariantReport.Counts(a.label(), a.templateId(),
                    a.version(), a.template(), a.percent(), sum.sent, sum.clicked, sum.booked));
        }
        Map<Long, VariantReport.Decision> decisions = decisions(campaignId);
        return bySteps.entrySet().stream().map(e -> VariantReport.of(e.getKey(), firstArm.get(e.getKey()).order(),
                firstArm.get(e.getKey()).channel(), e.getValue(), decisions.get(e.getKey()))).toList();
    }

    /** The tested steps' settings and decisions, as the campaign stored them. */
    private Map<Long, VariantReport.Decision> decisions(long campaignId) {
        Map<Long, List<VariantReport.DecisionArm>> arms = new LinkedHashMap<>();
        jdbc.query("""
                SELECT a.step_id, a.variant_index, a.reached, a.successes, a.z, a.p_value
                FROM step_test_arm a JOIN campaign_step s ON s.id = a.step_id
                WHERE s.campaign_id = ? ORDER BY a.step_id, a.variant_index""",
                rs -> {
                    long reached = rs.getLong(3);
                    long successes = rs.getLong(4);
                    arms.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new VariantReport.DecisionArm(
                            label(rs.getInt(2)), reached, successes, reached == 0 ? null : (double) successes / reached,
                            rs.getObject(5) == null ? null : rs.getDouble(5), rs.getObject(6) == null ? null : rs.getDouble(6)));
                    return null;
                }, campaignId);
        Map<Long, VariantReport.Decision> out = new LinkedHashMap<>();
        jdbc.query("SELECT t.* FROM step_test t JOIN campaign_step s ON s.id = t.step_id WHERE s.campaign_id = ?", rs -> {
            long stepId = rs.getLong("step_id");
            boolean decided = rs.getObject("decided_at") != null;
            out.put(stepId, new VariantReport.Decision(rs.getInt("test_percent"), rs.getString("test_wait"),
                    rs.getString("winner_metric"), rs.getInt("min_per_variant"), rs.getString("fallback"),
                    decided ? "DECIDED" : "TESTING", Jdbc.instant(rs, "decided_at"),
                    decided ? label(rs.getInt("winner_index")) : null, decided ? label(rs.getInt("best_index")) : null,
                    rs.getBoolean("fell_back"), rs.getString("notice"), rs.getString("decision_rule"), rs.getLong("released"),
                    arms.getOrDefault(stepId, List.of())));
            return null;
        }, campaignId);
        return out;
    }

    private static String label(int variantIndex) {
        return String.valueOf((char) ('A' + variantIndex));
    }

    private List<Cell> cells(long campaignId) {
        return jdbc.query("""
                SELECT r.step_id, COALESCE(s.step_order, 0) AS step_order, r.channel, r.template_version_id,
                       COALESCE(t.name, '') AS template, COALESCE(v.version, 0) AS version, r.bucket_date,
                       r.queued, r.sent, r.delivered, r.failed + r.bounced AS failed, r.skipped, r.opened, r.clicked_unique,
                       r.clicked, r.unsubscribed, r.replied, r.booked, r.attended, r.unknown_outcome, r.possible_duplicate
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
        s.attended = rs.getLong("attended");
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

    /**
     * Regions or languages with fewer than min-cell people reached are merged, so no small group can be
     * singled out. {@code names}: what the program calls a key (region names), the key where none.
     */
    private List<AudienceRow> audience(long campaignId, AudienceCounters.Dimension dimension, Map<String, String> names,
                                       boolean onAttended) {
        List<AudienceRow> rows = new ArrayList<>();
        long[] other = new long[3];
        List<Object[]> raw = jdbc.query("SELECT dim_value, reached, booked, attended FROM audience_counter WHERE campaign_id = ? "
                        + "AND dimension = ? ORDER BY reached DESC, dim_value",
                rs -> new Object[]{rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}, campaignId, dimension.name());
        for (Object[] r : raw) {
            String key = (String) r[0];
            long reached = (Long) r[1];
            long booked = (Long) r[2];
            long attended = (Long) r[3];
            if (reached < minCell || key.isEmpty()) {
                other[0] += reached;
                other[1] += booked;
                other[2] += attended;
            } else {
                rows.add(AudienceRow.of(key, names.getOrDefault(key, key), reached, booked, attended, onAttended ? attended : booked));
            }
        }
        if (other[0] > 0 || other[1] > 0 || other[2] > 0) {
            rows.add(AudienceRow.of(OTHER, OTHER, other[0], other[1], other[2], onAttended ? other[2] : other[1]));
        }
        return rows;
    }

    static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
