package health.outreach.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits base·2^(n-1), capped, scattered by ±20% so a
 * burst of failures does not come back as a burst. Pure; the random source is injected for tests.
 */
public final class RetryPolicy {

    private final Duration base;
    private final Duration max;
    private final int maxAttempts;
    private final RandomGenerator random;

    public RetryPolicy(Duration base, Duration max, int maxAttempts, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    /** Whether a message that has now been tried {@code attempts} times may be tried again. */
    public boolean mayRetry(int attempts) {
        return attempts < maxAttempts;
    }

    public Instant nextAttempt(Instant now, int attempts) {
        long exponent = Math.min(Math.max(attempts - 1, 0), 30);
        long millis = Math.min(base.toMillis() << exponent, max.toMillis());
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return now.plusMillis(Math.max(1, Math.round(millis * jitter)));
    }
}
