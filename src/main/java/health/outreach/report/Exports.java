package health.outreach.report;

import health.outreach.audit.AuditLog;
import health.outreach.booking.BookingExport;
import health.outreach.security.Role;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The campaign report's analyst exports, the same from the API and the admin page: a tidy CSV of
 * every breakdown cell and a CSV of the bookings. Every export is in the audit log, with whether it
 * named people.
 */
@Singleton
class Exports {

    private final Reports reports;
    private final BookingExport bookings;
    private final AuditLog audit;

    Exports(Reports reports, BookingExport bookings, AuditLog audit) {
        this.reports = reports;
        this.bookings = bookings;
        this.audit = audit;
    }

    MutableHttpResponse<String> tidy(long campaignId, String via) {
        String csv = TidyCsv.of(reports.campaign(campaignId));
        audit.record("reports.export", "campaign", campaignId, Map.of("format", "tidy csv", "via", via));
        return download(csv, "campaign-" + campaignId + "-tidy.csv");
    }

    MutableHttpResponse<String> bookings(long campaignId, Role role, String via) {
        reports.campaign(campaignId); // 404 for a campaign that does not exist
        boolean names = role.seesContactNames();
        String csv = BookingsCsv.of(bookings.campaign(campaignId, names), names);
        audit.record("reports.export", "campaign", campaignId, Map.of("format", "bookings csv", "names", names, "via", via));
        return download(csv, "campaign-" + campaignId + "-bookings.csv");
    }

    static MutableHttpResponse<String> download(String csv, String filename) {
        return HttpResponse.ok(csv).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store");
    }
}
