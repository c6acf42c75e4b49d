package health.outreach.campaign;

import health.outreach.delivery.QuietHours;
import health.outreach.delivery.DeliveryWindows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quiet hours and send hours in recipients' own zones, across the 2026 DST changes: US on March 8 and
 * November 1, Europe on March 29 and October 25, Honolulu never. Fixed instants, no sleeping.
 */
class DeliveryTimeTest {

    private static final QuietHours SMS = new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0));

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
            // zone, due (UTC), first allowed moment (UTC)
            "America/New_York,    2026-03-08T04:30:00Z, 2026-03-08T12:00:00Z",   // 23:30 EST Mar 7 -> 08:00 EDT, the day clocks spring forward
            "America/New_York,    2026-11-01T11:00:00Z, 2026-11-01T13:00:00Z",   // 06:00 EST after falling back -> 08:00 EST
            "America/New_York,    2026-11-01T01:30:00Z, 2026-11-01T13:00:00Z",   // 21:30 EDT Oct 31 -> next 08:00, now EST
            "America/New_York,    2026-07-01T16:00:00Z, 2026-07-01T16:00:00Z",   // noon: allowed as is
            "America/New_York,    2026-07-02T01:00:00Z, 2026-07-02T12:00:00Z",   // exactly 21:00 is already closed
            "America/Los_Angeles, 2026-03-08T10:00:00Z, 2026-03-08T15:00:00Z",   // 02:00 PST (a time that is skipped) -> 08:00 PDT
            "America/Los_Angeles, 2026-11-01T14:59:00Z, 2026-11-01T16:00:00Z",   // 06:59 PST -> 08:00 PST
            "Pacific/Honolulu,    2026-03-08T17:00:00Z, 2026-03-08T18:00:00Z",   // 07:00 HST -> 08:00 HST (no DST)
            "Pacific/Honolulu,    2026-03-09T07:00:00Z, 2026-03-09T18:00:00Z",   // 21:00 HST -> next day 08:00
            "Europe/Madrid,       2026-03-29T05:59:00Z, 2026-03-29T06:00:00Z",   // 07:59 CEST on the spring change -> 08:00 CEST
            "Europe/Madrid,       2026-10-25T06:30:00Z, 2026-10-25T07:00:00Z"    // 07:30 CET after the autumn change -> 08:00 CET
    })
    void smsWaitsForEightAmAndStopsAtNinePmLocal(String zone, String due, String expected) {
        Instant result = SMS.nextAllowed(Instant.parse(due), ZoneId.of(zone));
        assertEquals(Instant.parse(expected), result);
        assertTrue(SMS.allows(result, ZoneId.of(zone)));
    }

    @Test
    void emailIsUnrestrictedUnlessConfiguredAndWindowsMustBeSane() {
        Instant night = Instant.parse("2026-07-02T06:00:00Z");
        assertEquals(night, QuietHours.none().nextAllowed(night, ZoneId.of("America/Chicago")));
        assertFalse(SMS.allows(night, ZoneId.of("America/Chicago")));
        assertThrows(IllegalArgumentException.class, () -> new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)));
        assertThrows(IllegalStateException.class, () -> new DeliveryWindows(new DeliveryWindows.Settings("07:00-22:00", "")),
                "the federal SMS window cannot be loosened");
        assertFalse(new DeliveryWindows(new DeliveryWindows.Settings("09:00-20:00", "")).forChannel(health.outreach.common.Channel.SMS)
                .allows(Instant.parse("2026-07-01T12:30:00Z"), ZoneId.of("America/New_York")), "08:30 is outside a tightened window");
    }

    private static StepTiming.Spec after(String duration, Integer hour) {
        return new StepTiming.Spec(null, Duration.parse(duration), null, null, hour);
    }

    @Test
    void sendHourIsOnTheRecipientsLocalDateAcrossDstChanges() {
        // Enrolled Fri Mar 6 15:00 EST; "P3D at 10:00" is Mon Mar 9 10:00 EDT (clocks changed on Sunday).
        assertEquals(Instant.parse("2026-03-09T14:00:00Z"),
                StepTiming.due(after("P3D", 10), Instant.parse("2026-03-06T20:00:00Z"), ZoneId.of("America/New_York")));
        // Enrolled Fri Oct 30 11:00 PDT; P3D at 10:00 is Mon Nov 2 10:00 PST.
        assertEquals(Instant.parse("2026-11-02T18:00:00Z"),
                StepTiming.due(after("P3D", 10), Instant.parse("2026-10-30T18:00:00Z"), ZoneId.of("America/Los_Angeles")));
        // Madrid: Fri Mar 27 18:00 CET + P3D at 09:00 -> Mon Mar 30 09:00 CEST.
        assertEquals(Instant.parse("2026-03-30T07:00:00Z"),
                StepTiming.due(after("P3D", 9), Instant.parse("2026-03-27T17:00:00Z"), ZoneId.of("Europe/Madrid")));
        // "Now at 10:00" when it is 15:00 local means tomorrow at 10:00, never in the past.
        assertEquals(Instant.parse("2026-07-02T20:00:00Z"),
                StepTiming.due(after("PT0S", 10), Instant.parse("2026-07-02T01:00:00Z"), ZoneId.of("Pacific/Honolulu")));
        // Without a send hour, elapsed time: 24 hours later.
        assertEquals(Instant.parse("2026-03-08T20:00:00Z"),
                StepTiming.due(after("P1D", null), Instant.parse("2026-03-07T20:00:00Z"), ZoneId.of("America/New_York")));
        // An absolute time is the same instant for everyone.
        Instant at = Instant.parse("2026-05-01T15:00:00Z");
        assertEquals(at, StepTiming.due(new StepTiming.Spec(at, null, null, null, 10), Instant.EPOCH, ZoneId.of("Europe/Madrid")));
    }

    @Test
    void dateRelativeOffsetsCountCalendarDays() {
        StepTiming.Spec weekBefore = new StepTiming.Spec(null, null, "appointment_date", Duration.parse("-P7D"), null);
        // Appointment Mar 15 (EDT); a week before is Mar 8, the DST day, still at 10:00 local.
        assertEquals(Instant.parse("2026-03-08T14:00:00Z"),
                StepTiming.dueFromDate(weekBefore, LocalDate.of(2026, 3, 15), ZoneId.of("America/New_York")));
        StepTiming.Spec dayAndHalf = new StepTiming.Spec(null, null, "referral_date", Duration.parse("PT36H"), 9);
        // PT36H from June 1: one calendar day (June 2, 09:00 HST = 19:00Z) plus 12 hours.
        assertEquals(Instant.parse("2026-06-03T07:00:00Z"),
                StepTiming.dueFromDate(dayAndHalf, LocalDate.of(2026, 6, 1), ZoneId.of("Pacific/Honolulu")));
    }
}
