package health.outreach.report;

import health.outreach.common.CsvWriter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A campaign report as tidy data: one line per breakdown cell and metric (dimension, value, metric,
 * count), with the share it is of its base and that share's 95% Wilson interval where a share means
 * something. Aggregates only; small regions and languages are already merged into "other".
 * Labels come from coordinators and contacts' data, so {@link CsvWriter} neutralises them.
 */
final class TidyCsv {

    static final String[] HEADER = {"dimension", "value", "label", "metric", "count", "of", "rate", "ci95_low", "ci95_high"};

    private final CsvWriter csv = new CsvWriter();

    private TidyCsv() {
        csv.row((Object[]) HEADER);
    }

    static String of(Reports.CampaignReport r) {
        TidyCsv t = new TidyCsv();
        String campaign = Long.toString(r.campaignId());
        t.count("campaign", campaign, r.name(), "enrolled", r.enrolled());
        t.count("campaign", campaign, r.name(), "reached", r.reached());
        t.share("campaign", campaign, r.name(), "booked", r.booked(), r.reached());
        t.share("campaign", campaign, r.name(), "attended", r.attended(), r.reached());
        t.share("group", "messaged", null, "converted", r.converted(), r.reached());
        t.share("group", "holdout", null, "converted", r.convertedHoldout(), r.holdout());
        if (r.lift().shown()) {
            t.csv.row("lift", "messaged-holdout", r.lift().note(), "converted", null, null, r.lift().value(), r.lift().ci95Low(),
                    r.lift().ci95High());
        }
        funnel(t, "step", r.byStep());
        funnel(t, "channel", r.byChannel());
        funnel(t, "template_version", r.byTemplateVersion());
        funnel(t, "day", r.byDay());
        audience(t, "region", r.byRegion());
        audience(t, "language", r.byLocale());
        long bookings = r.bookingsByStatus().stream().mapToLong(Reports.StatusCount::bookings).sum();
        r.bookingsByStatus().forEach(s -> t.share("booking_status", s.status(), null, "bookings", s.bookings(), bookings));
        r.daysToBooking().forEach(b -> t.count("days_to_booking", Integer.toString(b.days()), null, "bookings", b.bookings()));
        return t.csv.toString();
    }

    private static void funnel(TidyCsv t, String dimension, List<FunnelRow> rows) {
        for (FunnelRow f : rows) {
            t.count(dimension, f.key(), f.label(), "sent", f.sent());
            t.share(dimension, f.key(), f.label(), "delivered", f.delivered(), f.sent());
            t.share(dimension, f.key(), f.label(), "clicked", f.clicked(), f.sent());
            t.share(dimension, f.key(), f.label(), "booked", f.booked(), f.sent());
            t.share(dimension, f.key(), f.label(), "attended", f.attended(), f.sent());
        }
    }

    private static void audience(TidyCsv t, String dimension, List<AudienceRow> rows) {
        for (AudienceRow a : rows) {
            t.count(dimension, a.key(), a.label(), "reached", a.reached());
            t.share(dimension, a.key(), a.label(), "booked", a.booked(), a.reached());
            t.share(dimension, a.key(), a.label(), "attended", a.attended(), a.reached());
        }
    }

    private void count(String dimension, String value, @Nullable String label, String metric, long count) {
        csv.row(dimension, value, label, metric, count, null, null, null, null);
    }

    private void share(String dimension, String value, @Nullable String label, String metric, long count, long of) {
        Proportion p = Proportion.of(count, of);
        csv.row(dimension, value, label, metric, count, of, p.rate(), p.low(), p.high());
    }
}
