package health.outreach.booking;

import health.outreach.common.ProblemException;
import health.outreach.events.Conversion;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static health.outreach.booking.BookingStatus.ATTENDED;
import static health.outreach.booking.BookingStatus.BOOKED;
import static health.outreach.booking.BookingStatus.CANCELLED;
import static health.outreach.booking.BookingStatus.NO_SHOW;
import static health.outreach.booking.BookingStatus.REQUESTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The booking's life as pure rules: forward only, cancelled from anywhere, and what moves the counts. */
class BookingStatusTest {

    @Test
    void statusesMoveForwardOnlyAndCancelledIsFinal() {
        assertEquals(Optional.of(BOOKED), BookingStatus.next(REQUESTED, BOOKED));
        assertEquals(Optional.of(ATTENDED), BookingStatus.next(REQUESTED, ATTENDED), "an attendance before its confirmation");
        assertEquals(Optional.of(ATTENDED), BookingStatus.next(BOOKED, ATTENDED));
        assertEquals(Optional.of(NO_SHOW), BookingStatus.next(BOOKED, NO_SHOW));
        assertEquals(Optional.empty(), BookingStatus.next(ATTENDED, BOOKED), "a stale confirmation after the visit");
        assertEquals(Optional.empty(), BookingStatus.next(BOOKED, REQUESTED));
        assertEquals(Optional.empty(), BookingStatus.next(ATTENDED, NO_SHOW), "attended and no-show are both final outcomes");
        assertEquals(Optional.empty(), BookingStatus.next(NO_SHOW, ATTENDED));
        assertEquals(Optional.empty(), BookingStatus.next(BOOKED, BOOKED));
        for (BookingStatus s : List.of(REQUESTED, BOOKED, ATTENDED, NO_SHOW)) {
            assertEquals(Optional.of(CANCELLED), BookingStatus.next(s, CANCELLED), s + " can be cancelled");
            assertEquals(Optional.empty(), BookingStatus.next(CANCELLED, s), "nothing revives a cancelled booking: " + s);
        }
    }

    @Test
    void clinicsSpellingsAreReadAndOthersNamedInTheError() {
        assertEquals(NO_SHOW, BookingStatus.parse("no-show", "status"));
        assertEquals(NO_SHOW, BookingStatus.parse("NOSHOW", "status"));
        assertEquals(ATTENDED, BookingStatus.parse(" attended ", "status"));
        ProblemException e = assertThrows(ProblemException.class, () -> BookingStatus.parse("MAYBE", "status"));
        assertEquals("status", e.errors().get(0).field());
    }

    @Test
    void fhirStatusesMapOntoOurs() {
        assertEquals("REQUESTED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.PROPOSED));
        assertEquals("REQUESTED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.PENDING));
        assertEquals("BOOKED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.BOOKED));
        assertEquals("ATTENDED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.ARRIVED));
        assertEquals("ATTENDED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.FULFILLED));
        assertEquals("NO_SHOW", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.NOSHOW));
        assertEquals("CANCELLED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.CANCELLED));
        assertEquals("CANCELLED", FhirAppointments.status(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.ENTEREDINERROR));
    }

    private static ConversionMoves.Counted at(long id, String status, long step) {
        return new ConversionMoves.Counted(id, status, step, "EMAIL", 1, LocalDate.of(2026, 7, 1));
    }

    @Test
    void aPersonCountsOnceThroughTheirOldestCountingBooking() {
        // A request confirmed: the person starts to count as booked, not yet as attended.
        List<ConversionMoves.Move> confirmed = ConversionMoves.of(List.of(at(1, "BOOKED", 10)), 1, "REQUESTED");
        assertEquals(1, confirmed.size());
        assertEquals(Conversion.BOOKED, confirmed.get(0).conversion());
        assertEquals(1, confirmed.get(0).people());

        // Attended: booked stays (no move), attended starts.
        List<ConversionMoves.Move> attended = ConversionMoves.of(List.of(at(1, "ATTENDED", 10)), 1, "BOOKED");
        assertEquals(List.of(Conversion.ATTENDED), attended.stream().map(ConversionMoves.Move::conversion).toList());

        // A second confirmed booking of the same person moves nothing.
        assertEquals(List.of(), ConversionMoves.of(List.of(at(1, "BOOKED", 10), at(2, "BOOKED", 20)), 2, null));

        // The counting booking is cancelled while another stands: the count passes to it, the person stays counted.
        List<ConversionMoves.Move> handed = ConversionMoves.of(List.of(at(1, "CANCELLED", 10), at(2, "BOOKED", 20)), 1, "BOOKED");
        assertEquals(1, handed.size());
        assertEquals(0, handed.get(0).people());
        assertEquals(1, handed.get(0).before().bookingId());
        assertEquals(2, handed.get(0).after().bookingId());

        // The only booking is cancelled after the visit: the person leaves both counts, once each.
        List<ConversionMoves.Move> gone = ConversionMoves.of(List.of(at(1, "CANCELLED", 10)), 1, "ATTENDED");
        assertEquals(List.of(-1, -1), gone.stream().map(ConversionMoves.Move::people).toList());

        // A request is no booking.
        assertEquals(List.of(), ConversionMoves.of(List.of(at(1, "REQUESTED", 10)), 1, null));
        // A no-show had booked.
        assertEquals(List.of(1), ConversionMoves.of(List.of(at(1, "NO_SHOW", 10)), 1, null).stream()
                .map(ConversionMoves.Move::people).toList());
    }
}
