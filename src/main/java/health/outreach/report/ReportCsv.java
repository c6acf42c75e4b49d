package health.outreach.report;

import health.outreach.common.CsvWriter;

import java.util.List;

/**
 * A campaign report as one CSV table (a {@code section} column says which breakdown a line belongs
 * to). Aggregates only, no personal data. Names come from coordinators and keys from contacts'
 * data, so they go through {@link CsvWriter}: quoted, and neutralised against formulas.
 */
public final class ReportCsv {

    static final String[] HEADER = {"section", "key", "label", "enrolled", "reached", "queued", "sent", "delivered", "failed",
            "clicked", "unsubscribed", "booked", "rate"};

    private ReportCsv() {
    }

    public static String of(Reports.CampaignReport r) {
        CsvWriter csv = new CsvWriter();
        csv.row((Object[]) HEADER);
        csv.row("campaign", Long.toString(r.campaignId()), r.name(), r.enrolled(), r.reached(), null, r.sent(),
                r.delivered(), r.failed(), r.clicked(), r.unsubscribed(), r.booked(), r.conversionRate());
        csv.row("holdout", "holdout", r.segment().name(), r.holdout(), null, null, null, null, null, null, null,
                r.bookedHoldout(), r.holdoutConversionRate());
        if (r.lift().shown()) {
            csv.row("lift", "value", r.lift().note(), null, null, null, null, null, null, null, null, null, r.lift().value());
            csv.row("lift", "ci95Low", null, null, null, null, null, null, null, null, null, null, r.lift().ci95Low());
            csv.row("lift", "ci95High", null, null, null, null, null, null, null, null, null, null, r.lift().ci95High());
        } else {
            csv.row("lift", "not shown", r.lift().note(), null, null, null, null, null, null, null, null, null, null);
        }
        rows(csv, "step", r.byStep());
        rows(csv, "channel", r.byChannel());
        rows(csv, "template_version", r.byTemplateVersion());
        rows(csv, "day", r.byDay());
        for (AudienceRow a : r.byRegion()) {
            csv.row("region", a.key(), a.label(), null, a.reached(), null, null, null, null, null, null, a.booked(), a.conversionRate());
        }
        for (AudienceRow a : r.byLocale()) {
            csv.row("locale", a.key(), null, null, a.reached(), null, null, null, null, null, null, a.booked(), a.conversionRate());
        }
        for (DaysToBooking.Bucket b : r.daysToBooking()) {
            csv.row("days_to_booking", Integer.toString(b.days()), null, null, null, null, null, null, null, null, null,
                    b.bookings(), null);
        }
        return csv.toString();
    }

    private static void rows(CsvWriter csv, String section, List<FunnelRow> rows) {
        for (FunnelRow f : rows) {
            csv.row(section, f.key(), f.label(), null, null, f.queued(), f.sent(), f.delivered(), f.failed(), f.clicked(),
                    f.unsubscribed(), f.booked(), f.bookedPerSent());
        }
    }
}
