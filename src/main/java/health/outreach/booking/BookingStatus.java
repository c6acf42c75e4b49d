package health.outreach.booking;

import health.outreach.common.ProblemException;
import io.micronaut.core.annotation.Nullable;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a booking stands. It only moves forward, REQUESTED, then BOOKED, then ATTENDED or NO_SHOW,
 * except that any booking may be CANCELLED, and a cancelled one stays so. Clinic systems resend and
 * reorder their updates: an ATTENDED may come before its BOOKED, or a stale BOOKED after the visit;
 * a status that is not ahead of the booking's own changes nothing. Pure.
 */
enum BookingStatus {
    REQUESTED(0), BOOKED(1), ATTENDED(2), NO_SHOW(2), CANCELLED(3);

    private final int rank;

    BookingStatus(int rank) {
        this.rank = rank;
    }

    /** The status after {@code arriving} reaches a booking at {@code current}; empty when nothing changes. */
    static Optional<BookingStatus> next(BookingStatus current, BookingStatus arriving) {
        if (current == CANCELLED || current == arriving) {
            return Optional.empty();
        }
        return arriving == CANCELLED || arriving.rank > current.rank ? Optional.of(arriving) : Optional.empty();
    }

    /** A status as clinics write it: any case, {@code NO-SHOW} or {@code NOSHOW} for NO_SHOW. @throws ProblemException naming {@code field} */
    static BookingStatus parse(@Nullable String value, String field) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        if (v.equals("NOSHOW")) {
            return NO_SHOW;
        }
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be one of REQUESTED, BOOKED, ATTENDED, NO_SHOW, CANCELLED");
        }
    }
}
