package health.outreach.booking;

import health.outreach.events.Conversion;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What one booking's change of status does to a person's conversion counts for a campaign. A person
 * counts once per {@link Conversion} (booked, attended), through their oldest booking in the statuses
 * that count: the counters sit at that booking's step and day. A change can start the count, end it
 * (the only booking that counted was cancelled), or hand it to another booking. Pure.
 */
final class ConversionMoves {

    /** One of the person's bookings credited to the campaign, where it would be counted. */
    record Counted(long bookingId, String status, long stepId, String channel, long versionId, java.time.LocalDate day) {
    }

    /** For one conversion: the booking that counted before the change and the one after (null: none). */
    record Move(Conversion conversion, @Nullable Counted before, @Nullable Counted after) {
        /** +1 when the person starts to count, -1 when they stop, 0 otherwise. */
        int people() {
            return (after == null ? 0 : 1) - (before == null ? 0 : 1);
        }
    }

    private ConversionMoves() {
    }

    /**
     * @param now       the person's credited bookings for the campaign, as they are after the change
     * @param changedId the booking that changed
     * @param was       its status before, or null when it is new
     * @return the moves that change something
     */
    static List<Move> of(List<Counted> now, long changedId, @Nullable String was) {
        List<Counted> before = new ArrayList<>();
        for (Counted c : now) {
            if (c.bookingId() != changedId) {
                before.add(c);
            } else if (was != null) {
                before.add(new Counted(c.bookingId(), was, c.stepId(), c.channel(), c.versionId(), c.day()));
            }
        }
        List<Move> moves = new ArrayList<>();
        for (Conversion conversion : Conversion.values()) {
            Counted b = first(before, conversion).orElse(null);
            Counted a = first(now, conversion).orElse(null);
            long bId = b == null ? -1 : b.bookingId();
            long aId = a == null ? -1 : a.bookingId();
            if (bId != aId) {
                moves.add(new Move(conversion, b, a));
            }
        }
        return moves;
    }

    private static Optional<Counted> first(List<Counted> bookings, Conversion conversion) {
        return bookings.stream().filter(c -> conversion.counts(c.status())).min(Comparator.comparingLong(Counted::bookingId));
    }
}
