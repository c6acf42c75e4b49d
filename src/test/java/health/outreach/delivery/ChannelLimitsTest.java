package health.outreach.delivery;

import health.outreach.channel.Channel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel's concurrency limit holds a second send until the first is done; another channel is not held. */
class ChannelLimitsTest {

    private static DispatchSettings settings(int emailConcurrency, int smsConcurrency) {
        return new DispatchSettings(true, 4, 50, 0, 0, emailConcurrency, smsConcurrency, Duration.ofMinutes(2), 6,
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(1), 0.25, 50, Duration.ofSeconds(20));
    }

    @Test
    void aSecondSmsWaitsForTheFirstWhileEmailGoesOn() throws Exception {
        ChannelLimits limits = new ChannelLimits(settings(0, 1), () -> true);
        assertTrue(limits.acquire(Channel.SMS));
        AtomicBoolean second = new AtomicBoolean();
        Thread other = new Thread(() -> second.set(limits.acquire(Channel.SMS)));
        other.start();
        awaitWaitingInside(other);
        assertFalse(second.get(), "held while the first SMS is in flight");
        assertTrue(limits.acquire(Channel.EMAIL), "email has no limit here");
        limits.release(Channel.SMS);
        other.join(Duration.ofSeconds(30).toMillis());
        assertFalse(other.isAlive());
        assertTrue(second.get(), "let through once the first SMS is done");
    }

    @Test
    void aWaitingSendGivesUpWhenTheDispatcherStops() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ChannelLimits limits = new ChannelLimits(settings(1, 0), running::get);
        assertTrue(limits.acquire(Channel.EMAIL));
        AtomicBoolean acquired = new AtomicBoolean(true);
        Thread worker = new Thread(() -> acquired.set(limits.acquire(Channel.EMAIL)));
        worker.start();
        awaitWaitingInside(worker);
        running.set(false);
        worker.join(Duration.ofSeconds(30).toMillis());
        assertFalse(worker.isAlive());
        assertFalse(acquired.get(), "stopping: nothing is held");
    }

    /** The thread is parked inside acquire (waiting for the slot), not merely not yet started. */
    private static void awaitWaitingInside(Thread t) {
        await("thread waiting for a slot").atMost(Duration.ofSeconds(30)).until(() ->
                t.getState() == Thread.State.TIMED_WAITING && java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(ChannelLimits.class.getName()) && f.getMethodName().equals("acquire")));
    }
}
