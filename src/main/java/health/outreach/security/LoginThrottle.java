package health.outreach.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed logins per username and per client address; when either runs out the login answers
 * 429 until the window refills. In memory per node: a cluster multiplies the allowance by its node
 * count, which still stops online guessing. The maps are bounded so a flood of names cannot grow them.
 */
@Singleton
class LoginThrottle {

    private static final int MAX_KEYS = 10_000;

    private final SecuritySettings settings;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_KEYS;
        }
    };

    LoginThrottle(SecuritySettings settings) {
        this.settings = settings;
    }

    boolean blocked(String username, String clientAddress) {
        return available("u:" + username) <= 0 || available("a:" + clientAddress) <= 0;
    }

    void failed(String username, String clientAddress) {
        bucket("u:" + username).tryConsume(1);
        // An address may try several usernames: allow it a few times the per-user budget.
        bucket("a:" + clientAddress).tryConsume(1);
    }

    long retryAfterSeconds() {
        return settings.loginFailureWindow().toSeconds();
    }

    private synchronized long available(String key) {
        Bucket bucket = buckets.get(key);
        return bucket == null ? 1 : bucket.getAvailableTokens();
    }

    private synchronized Bucket bucket(String key) {
        return buckets.computeIfAbsent(key, k -> {
            int capacity = k.startsWith("a:") ? settings.loginMaxFailures() * 4 : settings.loginMaxFailures();
            return Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity)
                            .refillIntervally(capacity, settings.loginFailureWindow()).build())
                    .build();
        });
    }
}
