package health.outreach.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: the delay doubles from {@code base} up to {@code max}, ±20%
 * jitter so that the deliveries of an endpoint that was down do not all come back at once, until
 * {@code giveUpAfter} from the first attempt; the last try falls exactly on that deadline.
 */
record Backoff(Duration base, Duration max, Duration giveUpAfter) {

    static Backoff of(WebhookSettings s) {
        return new Backoff(s.retryBase(), s.retryMax(), s.giveUpAfter());
    }

    /** After the {@code attempts}-th failed attempt: the next try, or null to give up. {@code random} in [0, 1). */
    Instant next(int attempts, Instant firstAttempt, Instant now, DoubleSupplier random) {
        Instant deadline = firstAttempt.plus(giveUpAfter);
        if (!now.isBefore(deadline)) {
            return null;
        }
        long delay = base.toMillis() << Math.min(Math.max(attempts - 1, 0), 30);
        delay = Math.min(delay <= 0 ? Long.MAX_VALUE : delay, max.toMillis());
        long jittered = Math.round(delay * (0.8 + 0.4 * random.getAsDouble()));
        Instant next = now.plusMillis(Math.max(jittered, 1));
        return next.isAfter(deadline) ? deadline : next;
    }
}
