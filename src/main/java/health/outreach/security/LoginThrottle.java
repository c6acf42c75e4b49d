package health.outreach.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import health.outreach.web.ClientAddress;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Counts failed sign-ins per (username, client address) and per client address. Too many for one
 * username from one address lock that username for that address only, so nobody can lock a person
 * out from elsewhere; too many from one address, whatever the usernames, lock that address. A
 * success clears its own (username, address) count, never the address's: an attacker signing in to
 * an account of their own keeps nothing back.
 *
 * <p>The counts live in each node's memory, bounded and forgotten one window after their first
 * failure (a cluster multiplies the allowance by its node count, which still stops online guessing).
 * The locks themselves are shared by all nodes ({@link LoginLocks}). IPv6 clients count by their /64.
 */
@Singleton
class LoginThrottle {

    /** The count of failures from an address for any username; usernames are never blank. */
    private static final String EVERY_USERNAME = "";
    private static final int MAX_COUNTS = 100_000;

    private record Key(String username, String client) {
    }

    private final SecuritySettings settings;
    private final LoginLocks locks;
    private final Cache<Key, Integer> failures;

    LoginThrottle(SecuritySettings settings, LoginLocks locks, Clock clock) {
        this.settings = settings;
        this.locks = locks;
        Duration window = settings.loginFailureWindow();
        this.failures = Caffeine.newBuilder()
                .maximumSize(MAX_COUNTS)
                // A window from the first failure: later failures do not push the end out.
                .expireAfter(Expiry.creating((Key key, Integer count) -> window))
                // The service's clock, so that the window passes when the clock says it has.
                .ticker(() -> nanos(clock.instant()))
                .executor(Runnable::run)
                .build();
    }

    /** Until when a sign-in as {@code username} from {@code address} is refused, if it is. */
    Optional<Instant> lockedUntil(String username, String address) {
        return locks.lockedUntil(username, ClientAddress.limitKey(address));
    }

    /** A wrong password (or an unknown username): counts it, and locks when a limit is reached. */
    void failed(String username, String address) {
        String client = ClientAddress.limitKey(address);
        if (reached(new Key(username, client), settings.loginMaxFailures())) {
            locks.lock(username, client, settings.loginMaxFailures(), settings.loginFailureWindow());
        }
        if (reached(new Key(EVERY_USERNAME, client), settings.loginMaxFailuresPerAddress())) {
            locks.lock(null, client, settings.loginMaxFailuresPerAddress(), settings.loginFailureWindow());
        }
    }

    /** The right password: this username's failures from this address are forgotten. */
    void succeeded(String username, String address) {
        failures.invalidate(new Key(username, ClientAddress.limitKey(address)));
    }

    List<LoginLocks.LoginLock> locks() {
        return locks.active();
    }

    /** Ends a lock; counting starts again from nothing for what it locked (on this node; the others had fewer). */
    Optional<LoginLocks.LoginLock> lift(long id) {
        Optional<LoginLocks.LoginLock> lifted = locks.lift(id);
        lifted.ifPresent(l -> failures.invalidate(new Key(l.username() == null ? EVERY_USERNAME : l.username(), l.client())));
        return lifted;
    }

    /**
     * One more failure under {@code key}; true when it is the one that reaches {@code max}. The count
     * then starts again: the lock refuses what follows, and after it a full allowance is fair.
     */
    private boolean reached(Key key, int max) {
        boolean[] reached = {false};
        failures.asMap().compute(key, (k, count) -> {
            int next = count == null ? 1 : count + 1;
            if (next >= max) {
                reached[0] = true;
                return null;
            }
            return next;
        });
        return reached[0];
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
