package health.outreach.report;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A campaign report as one CSV table (a {@code section} column says which breakdown a line belongs
 * to). Aggregates only, no personal data. Every text cell that a spreadsheet would read as a
 * formula is neutralised with a leading apostrophe (OWASP's advice for CSV injection).
 */
public final class ReportCsv {

    static final String[] HEADER = {"section", "key", "label", "enrolled", "reached", "queued", "sent", "delivered", "failed",
            "clicked", "unsubscribed", "booked", "rate"};

    private ReportCsv() {
    }

    public static String of(Reports.CampaignReport r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").build())) {
            csv.printRecord(Arrays.asList(HEADER));
            csv.printRecord(cells("campaign", Long.toString(r.campaignId()), r.name(), r.enrolled(), r.reached(), null, r.sent(),
                    r.delivered(), r.failed(), r.clicked(), r.unsubscribed(), r.booked(), r.conversionRate()));
            csv.printRecord(cells("holdout", "holdout", r.segment().name(), r.holdout(), null, null, null, null, null, null, null,
                    r.bookedHoldout(), r.holdoutConversionRate()));
            if (r.lift().shown()) {
                csv.printRecord(cells("lift", "value", r.lift().note(), null, null, null, null, null, null, null, null, null, r.lift().value()));
                csv.printRecord(cells("lift", "ci95Low", null, null, null, null, null, null, null, null, null, null, r.lift().ci95Low()));
                csv.printRecord(cells("lift", "ci95High", null, null, null, null, null, null, null, null, null, null, r.lift().ci95High()));
            } else {
                csv.printRecord(cells("lift", "not shown", r.lift().note(), null, null, null, null, null, null, null, null, null, null));
            }
            rows(csv, "step", r.byStep());
            rows(csv, "channel", r.byChannel());
            rows(csv, "template_version", r.byTemplateVersion());
            rows(csv, "day", r.byDay());
            for (AudienceRow a : r.byRegion()) {
                csv.printRecord(cells("region", a.key(), null, null, a.reached(), null, null, null, null, null, null, a.booked(), a.conversionRate()));
            }
            for (AudienceRow a : r.byLocale()) {
                csv.printRecord(cells("locale", a.key(), null, null, a.reached(), null, null, null, null, null, null, a.booked(), a.conversionRate()));
            }
            for (DaysToBooking.Bucket b : r.daysToBooking()) {
                csv.printRecord(cells("days_to_booking", Integer.toString(b.days()), null, null, null, null, null, null, null, null, null,
                        b.bookings(), null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void rows(CSVPrinter csv, String section, List<FunnelRow> rows) throws IOException {
        for (FunnelRow f : rows) {
            csv.printRecord(cells(section, f.key(), f.label(), null, null, f.queued(), f.sent(), f.delivered(), f.failed(), f.clicked(),
                    f.unsubscribed(), f.booked(), f.bookedPerSent()));
        }
    }

    private static List<String> cells(Object... values) {
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(v == null ? "" : v instanceof String s ? neutralise(s) : v.toString());
        }
        return out;
    }

    /** A cell starting with = + - @, a tab or a carriage return is prefixed with an apostrophe. */
    public static String neutralise(String value) {
        if (value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value : value;
    }
}
