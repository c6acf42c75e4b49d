package health.outreach.delivery;

import health.outreach.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel backs off while its provider is unavailable, probes once, and a rate waits or gives up on stop. */
class ChannelCircuitTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-15T17:00:00Z"));
    private final ChannelCircuit circuit = new ChannelCircuit(clock, Duration.ofSeconds(2), Duration.ofMinutes(2));

    @Test
    void anUnavailableProviderOpensTheCircuitAndOneProbeClosesIt() {
        assertTrue(circuit.tryAcquire());
        circuit.unavailable("connection refused");
        assertFalse(circuit.tryAcquire(), "open: nothing goes");
        assertFalse(circuit.claimable());
        assertEquals(clock.instant().plusSeconds(2), circuit.reopensAt(), "handed-back messages are due when it reopens");

        clock.advance(Duration.ofSeconds(2));
        assertTrue(circuit.claimable());
        assertTrue(circuit.tryAcquire(), "the probe");
        assertFalse(circuit.tryAcquire(), "one probe at a time");
        assertEquals(ChannelCircuit.State.HALF_OPEN, circuit.state());
        circuit.success();
        assertEquals(ChannelCircuit.State.CLOSED, circuit.state());
        assertTrue(circuit.tryAcquire());
        assertTrue(circuit.tryAcquire());
    }

    @Test
    void aFailedProbeDoublesThePauseUpToItsCeiling() {
        circuit.unavailable("refused");
        Instant opened = clock.instant();
        for (long expected : new long[]{2, 4, 8, 16, 32, 64, 120, 120}) {
            assertEquals(opened.plusSeconds(expected), circuit.reopensAt());
            clock.set(circuit.reopensAt());
            assertTrue(circuit.tryAcquire(), "probe after " + expected + " s");
            opened = clock.instant();
            circuit.unavailable("still refused");
        }
    }

    @Test
    void refusalsForNowOpenItOnlyInAStreak() {
        for (int i = 1; i < ChannelCircuit.TRANSIENT_STREAK; i++) {
            circuit.refusedForNow("451 try later");
            assertEquals(ChannelCircuit.State.CLOSED, circuit.state(), "one message greylisted is that message's business");
        }
        circuit.success();
        for (int i = 1; i < ChannelCircuit.TRANSIENT_STREAK; i++) {
            circuit.refusedForNow("451 try later");
        }
        assertEquals(ChannelCircuit.State.CLOSED, circuit.state(), "a success in between breaks the streak");
        circuit.refusedForNow("451 try later");
        assertEquals(ChannelCircuit.State.OPEN, circuit.state(), "every message refused in a row: the relay is in trouble");
        assertEquals("451 try later", circuit.lastReason());
    }

    @Test
    void aRateWaitsForItsTokenAndGivesUpWhenTheDispatcherStops() throws Exception {
        ChannelRate rate = new ChannelRate(0.01); // one message per 100 s: the second waits
        assertTrue(rate.acquire(() -> true));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean acquired = new AtomicBoolean(true);
        Thread worker = new Thread(() -> acquired.set(rate.acquire(running::get)));
        worker.start();
        await("the worker waits for the rate").atMost(Duration.ofSeconds(30)).until(() ->
                worker.getState() == Thread.State.TIMED_WAITING && java.util.Arrays.stream(worker.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(ChannelRate.class.getName())));
        running.set(false);
        worker.join(Duration.ofSeconds(30).toMillis());
        assertFalse(worker.isAlive());
        assertFalse(acquired.get(), "stopping: nothing is held");
        assertTrue(new ChannelRate(0).acquire(() -> false), "no rate set: never waits");
    }
}
