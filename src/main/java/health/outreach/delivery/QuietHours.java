package health.outreach.delivery;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The hours a channel may reach a person, in their own time zone: SMS 08:00–21:00 by default
 * (47 CFR 64.1200(c)(1)); email unrestricted unless configured. A due time outside the window moves
 * to the next opening; DST is handled by the zone rules (a 08:00 that does not exist moves forward).
 */
public final class QuietHours {

    private final LocalTime opens;
    private final LocalTime closes;

    /** A window [opens, closes) of local time; null for no restriction. */
    public QuietHours(@Nullable LocalTime opens, @Nullable LocalTime closes) {
        if ((opens == null) != (closes == null)) {
            throw new IllegalArgumentException("a window needs both ends");
        }
        if (opens != null && !opens.isBefore(closes)) {
            throw new IllegalArgumentException("the window must open before it closes on the same day");
        }
        this.opens = opens;
        this.closes = closes;
    }

    public static QuietHours none() {
        return new QuietHours(null, null);
    }

    public boolean restricts() {
        return opens != null;
    }

    public boolean allows(Instant instant, ZoneId zone) {
        if (opens == null) {
            return true;
        }
        LocalTime local = instant.atZone(zone).toLocalTime();
        return !local.isBefore(opens) && local.isBefore(closes);
    }

    /** The instant itself when allowed, otherwise the next opening of the window. */
    public Instant nextAllowed(Instant instant, ZoneId zone) {
        if (allows(instant, zone)) {
            return instant;
        }
        ZonedDateTime local = instant.atZone(zone);
        LocalDate day = local.toLocalTime().isBefore(opens) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
        return ZonedDateTime.of(day, opens, zone).toInstant();
    }

    @Override
    public String toString() {
        return opens == null ? "any time" : opens + "–" + closes;
    }
}
