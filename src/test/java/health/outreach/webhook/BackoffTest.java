package health.outreach.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(1));
    private final Instant first = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void doublesWithJitterUpToTheCeiling() {
        assertEquals(first.plusSeconds(24), backoff.next(1, first, first, () -> 0.0));
        assertEquals(first.plusSeconds(36), backoff.next(1, first, first, () -> 0.99999999));
        assertEquals(first.plusSeconds(60), backoff.next(2, first, first, () -> 0.5));
        assertEquals(first.plusSeconds(120), backoff.next(3, first, first, () -> 0.5));
        assertEquals(first.plus(Duration.ofHours(2)), backoff.next(12, first, first, () -> 0.5));
        assertEquals(first.plus(Duration.ofHours(2)), backoff.next(400, first, first, () -> 0.5), "no overflow");
    }

    @Test
    void theLastTryFallsOnTheDeadlineThenItGivesUp() {
        Instant late = first.plus(Duration.ofHours(23));
        assertEquals(first.plus(Duration.ofDays(1)), backoff.next(15, first, late, () -> 0.5));
        assertNull(backoff.next(16, first, first.plus(Duration.ofDays(1)), () -> 0.5));
        assertTrue(backoff.next(16, first, first.plus(Duration.ofHours(20)), () -> 0.5).isAfter(first.plus(Duration.ofHours(20))));
    }
}
