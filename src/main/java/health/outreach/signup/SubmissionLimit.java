package health.outreach.signup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Sign-up posts per client address per hour, on top of the public pages' per-minute limit: each
 * accepted post can send a message to an address the poster typed, so a few an hour is what a
 * family at a health fair needs and a script does not get. In memory per node, bounded in size.
 */
@Singleton
class SubmissionLimit {

    private final int perHour;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterAccess(Duration.ofHours(2)).build();

    SubmissionLimit(SignupSettings settings) {
        this.perHour = settings.submissionsPerHour();
    }

    /** @param key the client's limit key ({@code ClientAddress.limitKey}) */
    boolean tryTake(String key) {
        return buckets.get(key, k -> Bucket.builder().addLimit(Bandwidth.builder().capacity(perHour)
                .refillGreedy(perHour, Duration.ofHours(1)).build()).build()).tryConsume(1);
    }
}
