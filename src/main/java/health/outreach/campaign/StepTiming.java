package health.outreach.campaign;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a step is due for one recipient, in their own time zone. Pure: the fan-out and the tests
 * call it with a fixed clock. Three kinds of timing:
 * <ul>
 *   <li>{@code at}: an absolute instant;</li>
 *   <li>{@code afterEnrollment}: an offset (ISO-8601, e.g. P3D) after the contact was enrolled;</li>
 *   <li>{@code relativeTo}: an offset (e.g. -P7D) from a date attribute of the contact.</li>
 * </ul>
 * With a send hour, the due time moves to that hour on the recipient's local date (an offset of
 * "P3D at 10:00" means 10:00 on the third day, even if enrollment happened in the afternoon).
 * A date attribute has no time: without a send hour it is due at {@link #DEFAULT_DATE_HOUR}.
 */
public final class StepTiming {

    public static final int DEFAULT_DATE_HOUR = 10;

    private StepTiming() {
    }

    public record Spec(@Nullable Instant at, @Nullable Duration afterEnrollment, @Nullable String relativeAttribute,
                       @Nullable Duration relativeOffset, @Nullable Integer sendHour) {
    }

    /** Due time for steps that do not depend on a contact date (at, afterEnrollment). */
    public static Instant due(Spec spec, Instant enrolledAt, ZoneId zone) {
        if (spec.at() != null) {
            return spec.at();
        }
        Instant base = enrolledAt.plus(spec.afterEnrollment() == null ? Duration.ZERO : spec.afterEnrollment());
        if (spec.sendHour() == null) {
            return base;
        }
        ZonedDateTime local = base.atZone(zone);
        Instant atHour = atLocal(local.toLocalDate(), spec.sendHour(), zone);
        // "now at 10:00" after 10:00 has passed means tomorrow at 10:00, never in the past
        return atHour.isBefore(enrolledAt) ? atLocal(local.toLocalDate().plusDays(1), spec.sendHour(), zone) : atHour;
    }

    /**
     * Due time for a step relative to a contact's date attribute. Whole days of the offset are
     * calendar days in the recipient's zone ("-P7D at 10:00" is 10:00 a week earlier even across a
     * DST change); any remainder (PT36H's 12 hours) is added as elapsed time.
     */
    public static Instant dueFromDate(Spec spec, LocalDate date, ZoneId zone) {
        Duration offset = spec.relativeOffset() == null ? Duration.ZERO : spec.relativeOffset();
        long days = offset.toDays();
        int hour = spec.sendHour() == null ? DEFAULT_DATE_HOUR : spec.sendHour();
        return atLocal(date.plusDays(days), hour, zone).plus(offset.minusDays(days));
    }

    /** The instant of a local wall-clock hour; in a DST gap the hour moves forward, as clocks do. */
    static Instant atLocal(LocalDate date, int hour, ZoneId zone) {
        return ZonedDateTime.of(date, LocalTime.of(hour, 0), zone).toInstant();
    }

}
