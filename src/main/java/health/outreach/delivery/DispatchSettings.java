package health.outreach.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * @param enabled        run dispatchers on this node
 * @param workers        dispatcher threads on this node (each claims batches and sends)
 * @param batchSize      messages claimed at once by one worker
 * @param emailRate      emails per second per node, 0 for no limit
 * @param smsRate        SMS per second per node, 0 for no limit
 * @param emailConcurrency emails being handed to the relay at once per node, 0 for as many as workers
 * @param smsConcurrency SMS requests in flight at once per node (what the provider account allows), 0 for as many as workers
 * @param lease          how long a claim is held; a node that dies mid-send frees its messages after this
 * @param maxAttempts    sends of one message before a transient failure becomes final
 * @param retryBase      first backoff; doubled each attempt, with ±20% jitter
 * @param retryMax       backoff ceiling
 * @param pollInterval   idle wait between claims when nothing is due
 * @param errorThreshold share of failed sends (over the last 15 minutes) that pauses a campaign
 * @param errorMinSample sends needed before the threshold applies
 * @param shutdownGrace  how long a stopping node waits for the sends in progress to finish and be recorded
 */
@ConfigurationProperties("outreach.dispatch")
public record DispatchSettings(@Bindable(defaultValue = "true") boolean enabled,
                               @Bindable(defaultValue = "4") int workers,
                               @Bindable(defaultValue = "50") int batchSize,
                               @Bindable(defaultValue = "0") double emailRate,
                               @Bindable(defaultValue = "0") double smsRate,
                               @Bindable(defaultValue = "0") int emailConcurrency,
                               @Bindable(defaultValue = "0") int smsConcurrency,
                               @Bindable(defaultValue = "PT2M") Duration lease,
                               @Bindable(defaultValue = "6") int maxAttempts,
                               @Bindable(defaultValue = "PT30S") Duration retryBase,
                               @Bindable(defaultValue = "PT1H") Duration retryMax,
                               @Bindable(defaultValue = "PT1S") Duration pollInterval,
                               @Bindable(defaultValue = "0.25") double errorThreshold,
                               @Bindable(defaultValue = "50") int errorMinSample,
                               @Bindable(defaultValue = "PT20S") Duration shutdownGrace) {
}
