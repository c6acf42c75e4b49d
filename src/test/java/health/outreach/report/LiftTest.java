package health.outreach.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiftTest {

    @Test
    void matchesAHandComputedTable() {
        // Messaged: 120 of 1000 booked (p1 = 0.12). Holdout: 18 of 250 (p2 = 0.072).
        // diff = 0.048; se = sqrt(0.12*0.88/1000 + 0.072*0.928/250) = sqrt(0.0001056 + 0.000267264)
        //      = sqrt(0.000372864) = 0.0193097; 1.96 * se = 0.0378463 -> [0.0101537, 0.0858463]
        Lift lift = Lift.of(120, 1000, 18, 250);
        assertTrue(lift.shown());
        assertEquals(0.048, lift.value(), 1e-12);
        assertEquals(0.0101537, lift.ci95Low(), 1e-6);
        assertEquals(0.0858463, lift.ci95High(), 1e-6);
    }

    @Test
    void aNegativeLiftIsReportedAsSuch() {
        Lift lift = Lift.of(30, 600, 20, 200); // 0.05 vs 0.10
        assertEquals(-0.05, lift.value(), 1e-12);
        assertTrue(lift.ci95High() < 0, "the whole interval is below zero here: " + lift);
    }

    @Test
    void withheldWhenTheHoldoutIsTooSmallOrHasTooFewBookings() {
        Lift none = Lift.of(10, 100, 0, 0);
        assertFalse(none.shown());
        assertNull(none.value());
        assertTrue(none.note().contains("no holdout"));
        assertTrue(Lift.of(10, 100, 3, 29).note().contains("too few people"));
        assertTrue(Lift.of(10, 100, 4, 300).note().contains("too few bookings"));
        assertTrue(Lift.of(10, 100, 5, 300).shown());
        assertFalse(Lift.of(4, 100, 50, 300).shown());
    }
}
