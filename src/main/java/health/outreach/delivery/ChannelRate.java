package health.outreach.delivery;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A channel's rate on one node (messages per second, a token bucket), e.g. what an SMS number may
 * send. 0 is no limit: the channel's connections are the only bound.
 */
final class ChannelRate {

    private static final Duration WAIT_STEP = Duration.ofMillis(100);

    private final Bucket bucket;

    ChannelRate(double perSecond) {
        if (perSecond > 0) {
            long capacity = Math.max(1, (long) Math.ceil(perSecond));
            bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity)
                    .refillGreedy(capacity, Duration.ofNanos((long) (1e9 * capacity / perSecond))).build()).build();
        } else {
            bucket = null;
        }
    }

    /**
     * Waits for the rate, in steps of at most 100 ms so that a stop is noticed; false, holding
     * nothing, when {@code running} turns false (or the thread is interrupted) first.
     */
    boolean acquire(BooleanSupplier running) {
        if (bucket == null) {
            return true;
        }
        while (true) {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return true;
            }
            if (!running.getAsBoolean()) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(1, Math.min(probe.getNanosToWaitForRefill(), WAIT_STEP.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
