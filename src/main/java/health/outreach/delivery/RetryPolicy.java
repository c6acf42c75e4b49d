package health.outreach.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a message that failed for now is tried again: attempt n waits base·2^(n-1), capped,
 * scattered by ±20% so a burst of failures does not come back as a burst; and when to stop: a
 * message is given up a time budget after its first attempt (as an MTA's queue lifetime), not
 * after a number of tries, so an outage that lasts an hour costs nothing but the hour. Pure; the
 * random source is injected for tests.
 */
public final class RetryPolicy {

    private final Duration base;
    private final Duration max;
    private final Duration budget;
    private final RandomGenerator random;

    public RetryPolicy(Duration base, Duration max, Duration budget, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.budget = budget;
        this.random = random;
    }

    /** Whether a message first attempted at {@code firstAttempt} may be tried again at {@code next}. */
    public boolean mayRetry(Instant firstAttempt, Instant next) {
        return firstAttempt == null || !next.isAfter(firstAttempt.plus(budget));
    }

    public Instant nextAttempt(Instant now, int attempts) {
        long exponent = Math.min(Math.max(attempts - 1, 0), 30);
        long millis = Math.min(base.toMillis() << exponent, max.toMillis());
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return now.plusMillis(Math.max(1, Math.round(millis * jitter)));
    }

    public Duration budget() {
        return budget;
    }
}
