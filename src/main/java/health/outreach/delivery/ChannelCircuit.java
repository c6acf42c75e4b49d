package health.outreach.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One node's view of whether a channel's provider can be used (a circuit breaker). Closed: send.
 * A provider that is unavailable (connection refused, timeouts, a relay closing with 421), or that
 * refuses several messages in a row for now, opens it: this node claims nothing for the channel
 * for a while (2 s, doubling to 2 min while it stays so) and hands back what it holds without
 * spending an attempt. When the pause ends one send is let through as a probe; its success closes
 * the circuit, its failure opens it again. Thread-safe; time from the service clock.
 */
final class ChannelCircuit {

    /** Refusals "for now" in a row, across messages and within a minute, that mean the provider itself is in trouble. */
    static final int TRANSIENT_STREAK = 5;
    private static final Duration STREAK_WINDOW = Duration.ofMinutes(1);

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final Clock clock;
    private final Duration base;
    private final Duration max;
    private State state = State.CLOSED;
    private Instant openUntil = Instant.MIN;
    private int trips;
    private int transientStreak;
    private Instant lastRefusal = Instant.MIN;
    private boolean probing;
    private String lastReason = "";

    ChannelCircuit(Clock clock, Duration base, Duration max) {
        this.clock = clock;
        this.base = base;
        this.max = max;
    }

    /** Whether the caller may send now; in half-open state only one caller (the probe) at a time. */
    synchronized boolean tryAcquire() {
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.HALF_OPEN && !probing) {
            probing = true;
            return true;
        }
        return false;
    }

    /** Whether claiming makes sense: closed, or a probe may go out. */
    synchronized boolean claimable() {
        return state == State.CLOSED || (state == State.HALF_OPEN && !probing) || !clock.instant().isBefore(openUntil);
    }

    /** When a message handed back now should be due again. */
    synchronized Instant reopensAt() {
        return state == State.CLOSED ? clock.instant() : openUntil;
    }

    synchronized void success() {
        state = State.CLOSED;
        trips = 0;
        transientStreak = 0;
        probing = false;
    }

    /** The provider could not be used at all. */
    synchronized void unavailable(String reason) {
        open(reason);
    }

    /** A message was refused for now; enough of them in a row mean the provider is in trouble. */
    synchronized void refusedForNow(String reason) {
        Instant now = clock.instant();
        if (lastRefusal.isBefore(now.minus(STREAK_WINDOW))) {
            transientStreak = 0; // retries hours apart are each their message's business
        }
        lastRefusal = now;
        if (state == State.HALF_OPEN || ++transientStreak >= TRANSIENT_STREAK) {
            open(reason);
        } else {
            probing = false;
        }
    }

    synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            return State.HALF_OPEN;
        }
        return state;
    }

    synchronized String lastReason() {
        return lastReason;
    }

    private void open(String reason) {
        long exponent = Math.min(trips, 20);
        Duration pause = base.multipliedBy(1L << exponent);
        if (pause.compareTo(max) > 0) {
            pause = max;
        }
        trips++;
        transientStreak = 0;
        probing = false;
        state = State.OPEN;
        openUntil = clock.instant().plus(pause);
        lastReason = reason == null ? "" : reason;
    }
}
