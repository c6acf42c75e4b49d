package health.outreach.delivery;

import health.outreach.channel.Channel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel's concurrency limit holds a second send until the first is done; another channel is not held. */
class ChannelLimitsTest {

    private static DispatchSettings settings(int emailConcurrency, int smsConcurrency) {
        return new DispatchSettings(true, 4, 50, 0, 0, emailConcurrency, smsConcurrency, Duration.ofMinutes(2), 6,
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(1), 0.25, 50);
    }

    @Test
    void aSecondSmsWaitsForTheFirstWhileEmailGoesOn() throws Exception {
        ChannelLimits limits = new ChannelLimits(settings(0, 1));
        assertTrue(limits.acquire(Channel.SMS));
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean second = new AtomicBoolean();
        Thread other = new Thread(() -> {
            started.countDown();
            second.set(limits.acquire(Channel.SMS));
        });
        other.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        other.join(300);
        assertTrue(other.isAlive(), "held while the first SMS is in flight");
        assertTrue(limits.acquire(Channel.EMAIL), "email has no limit here");
        limits.release(Channel.SMS);
        other.join(5_000);
        assertFalse(other.isAlive());
        assertTrue(second.get());
    }

    @Test
    void aWaitingSendGivesUpWhenItsWorkerIsInterrupted() throws Exception {
        ChannelLimits limits = new ChannelLimits(settings(1, 0));
        assertTrue(limits.acquire(Channel.EMAIL));
        AtomicBoolean acquired = new AtomicBoolean(true);
        Thread worker = new Thread(() -> acquired.set(limits.acquire(Channel.EMAIL)));
        worker.start();
        worker.join(200);
        worker.interrupt();
        worker.join(5_000);
        assertFalse(acquired.get(), "shutting down: nothing is held");
    }
}
