package health.outreach.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.outreach.common.ProblemResponses;
import health.outreach.config.TrackingSettings;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.time.Duration;
import java.util.List;

/**
 * Per-client limits on the public, unauthenticated paths: generous on redirects (people click), tighter
 * on the pages and webhooks. The client is the peer address, or X-Forwarded-For from a trusted proxy
 * only. In memory per node and bounded in size.
 */
@ServerFilter(patterns = {"/r/**", "/o/**", "/u/**", "/p/**", "/book/**", "/join/**", "/webhooks/**"})
class PublicRateLimit {

    private static final int MAX_CLIENTS = 50_000;

    private final ClientAddress clientAddress;
    private final TrackingSettings settings;
    /** A bucket idle for two minutes is full again anyway, so it may go; the size bound holds under a flood of addresses. */
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_CLIENTS)
            .expireAfterAccess(Duration.ofMinutes(2)).build();

    PublicRateLimit(ClientAddress clientAddress, TrackingSettings settings) {
        this.clientAddress = clientAddress;
        this.settings = settings;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> limit(HttpRequest<?> request) {
        String path = request.getPath();
        String kind = path.startsWith("/r/") || path.startsWith("/o/") ? "r" : path.startsWith("/webhooks/") ? "w" : "p";
        int perMinute = switch (kind) {
            case "r" -> settings.redirectPerMinute();
            case "w" -> settings.webhookPerMinute();
            default -> settings.publicPerMinute();
        };
        String key = kind + ":" + ClientAddress.limitKey(clientAddress.of(request));
        Bucket bucket = buckets.get(key, k -> Bucket.builder().addLimit(Bandwidth.builder().capacity(perMinute)
                .refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build());
        if (bucket.tryConsume(1)) {
            return null;
        }
        return ProblemResponses.response(request, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "Too many requests from this address; try again in a minute", List.of()).header("Retry-After", "60");
    }
}
