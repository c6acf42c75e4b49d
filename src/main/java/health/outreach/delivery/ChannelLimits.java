package health.outreach.delivery;

import health.outreach.channel.Channel;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Per-channel limits of one node's dispatcher: a rate (messages per second, a token bucket) and a
 * concurrency (sends in progress at once, e.g. what an SMS provider's account allows). A limit of 0
 * is none: the workers are the only bound.
 */
final class ChannelLimits {

    private static final Duration WAIT_STEP = Duration.ofMillis(100);

    private final Map<Channel, Bucket> rates = new EnumMap<>(Channel.class);
    private final Map<Channel, Semaphore> slots = new EnumMap<>(Channel.class);
    private final BooleanSupplier running;

    /** {@code running} turns false when the dispatcher stops: a waiting send then gives up. */
    ChannelLimits(DispatchSettings settings, BooleanSupplier running) {
        this.running = running;
        rate(Channel.EMAIL, settings.emailRate());
        rate(Channel.SMS, settings.smsRate());
        concurrency(Channel.EMAIL, settings.emailConcurrency());
        concurrency(Channel.SMS, settings.smsConcurrency());
    }

    /**
     * Waits for the channel's rate and a free slot; false, holding nothing, when the dispatcher
     * stops (or the thread is interrupted) while waiting.
     */
    boolean acquire(Channel channel) {
        Semaphore slot = slots.get(channel);
        Bucket bucket = rates.get(channel);
        try {
            while (bucket != null && !bucket.asBlocking().tryConsume(1, WAIT_STEP)) {
                if (!running.getAsBoolean()) {
                    return false;
                }
            }
            while (slot != null && !slot.tryAcquire(WAIT_STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                if (!running.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** After the send that {@link #acquire} let through. */
    void release(Channel channel) {
        Semaphore slot = slots.get(channel);
        if (slot != null) {
            slot.release();
        }
    }

    private void rate(Channel channel, double perSecond) {
        if (perSecond > 0) {
            long capacity = Math.max(1, (long) Math.ceil(perSecond));
            rates.put(channel, Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity)
                    .refillGreedy(capacity, Duration.ofNanos((long) (1e9 * capacity / perSecond))).build()).build());
        }
    }

    private void concurrency(Channel channel, int max) {
        if (max > 0) {
            slots.put(channel, new Semaphore(max, true));
        }
    }
}
