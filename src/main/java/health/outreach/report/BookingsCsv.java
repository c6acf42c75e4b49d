package health.outreach.report;

import health.outreach.booking.BookingExport;
import health.outreach.common.CsvWriter;

import java.util.ArrayList;
import java.util.List;

/** A campaign's bookings, one line each; the name columns only in an export that may name people. */
final class BookingsCsv {

    static final List<String> HEADER = List.of("booking_id", "contact_id", "campaign_id", "campaign", "step", "channel", "variant",
            "status", "source", "requested_at", "status_changed_at", "appointment_at", "attribution", "attribution_reason", "credited_at");
    static final List<String> NAMES = List.of("first_name", "last_name");

    private BookingsCsv() {
    }

    static String of(List<BookingExport.Row> rows, boolean names) {
        CsvWriter csv = new CsvWriter();
        List<Object> header = new ArrayList<>(HEADER);
        if (names) {
            header.addAll(2, NAMES);
        }
        csv.row(header.toArray());
        for (BookingExport.Row b : rows) {
            List<Object> cells = new ArrayList<>(List.of(b.bookingId(), b.contactId()));
            if (names) {
                cells.add(b.firstName());
                cells.add(b.lastName());
            }
            cells.add(b.campaignId());
            cells.add(b.campaign());
            cells.add(b.step());
            cells.add(b.channel());
            cells.add(b.variant());
            cells.add(b.status());
            cells.add(b.source());
            cells.add(b.requestedAt());
            cells.add(b.statusChangedAt());
            cells.add(b.appointmentAt());
            cells.add(b.attribution());
            cells.add(b.reason());
            cells.add(b.creditedAt());
            csv.row(cells.toArray());
        }
        return csv.toString();
    }
}
