package health.outreach.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * @param enabled                 send webhooks from this node (every node may: claims are disjoint)
 * @param pollInterval            wait between claims when nothing was due
 * @param batchSize               deliveries claimed at once
 * @param concurrency             requests in flight at once on this node
 * @param connectTimeout          TCP and TLS connection
 * @param readTimeout             from the request to the end of the (bounded) response
 * @param lease                   a claim's hold: a node that dies mid-send leaves the delivery due again after this
 * @param retryBase               first backoff; doubled each attempt, ±20% jitter
 * @param retryMax                backoff ceiling
 * @param giveUpAfter             retries go on until this long after the first attempt (the last one at that time)
 * @param disableAfter            an endpoint whose attempts have all failed for this long is disabled ...
 * @param disableMinFailures      ... once it has failed at least this many times in a row
 * @param rotationOverlap         after a rotation the previous secret signs too, this long
 * @param responseExcerptBytes    bytes of a response body read and kept; the rest is never read
 * @param allowPrivateAddresses   allow loopback, private, link-local and other non-public destinations (tests, labs)
 * @param requireHttps            refuse plain http, except to loopback when private addresses are allowed
 */
@ConfigurationProperties("outreach.webhooks")
public record WebhookSettings(@Bindable(defaultValue = "true") boolean enabled,
                              @Bindable(defaultValue = "PT1S") Duration pollInterval,
                              @Bindable(defaultValue = "20") @Min(1) int batchSize,
                              @Bindable(defaultValue = "4") @Min(1) int concurrency,
                              @Bindable(defaultValue = "PT5S") Duration connectTimeout,
                              @Bindable(defaultValue = "PT10S") Duration readTimeout,
                              @Bindable(defaultValue = "PT1M") Duration lease,
                              @Bindable(defaultValue = "PT30S") Duration retryBase,
                              @Bindable(defaultValue = "PT2H") Duration retryMax,
                              @Bindable(defaultValue = "P1D") Duration giveUpAfter,
                              @Bindable(defaultValue = "P1D") Duration disableAfter,
                              @Bindable(defaultValue = "5") @Min(1) int disableMinFailures,
                              @Bindable(defaultValue = "P1D") Duration rotationOverlap,
                              @Bindable(defaultValue = "1024") @Min(0) int responseExcerptBytes,
                              @Bindable(defaultValue = "false") boolean allowPrivateAddresses,
                              @Bindable(defaultValue = "true") boolean requireHttps) {
}
