package health.outreach.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * @param enabled          run dispatchers on this node
 * @param emailConnections SMTP connections this node keeps to the relay, each sending one message at a time;
 *                         0 picks eight per core, at most 32 (mind the relay's per-client connection limit:
 *                         Postfix allows 50 by default). Each waits for its last outcome to be recorded
 *                         before its next hand-over, so more connections make bigger, cheaper commits.
 * @param smsConnections   SMS requests in flight at once on this node (what the provider account allows); 0 picks 4
 * @param batchSize        messages a channel claims at once; 0 picks four per connection
 * @param emailRate        emails per second per node, 0 for no limit
 * @param smsRate          SMS per second per node, 0 for no limit
 * @param heartbeat        how often a dispatching node says it is alive
 * @param orphanAfter      a node silent this long is dead: the sweep returns its claimed messages to the outbox
 * @param giveUpAfter      a message failing for now is retried until this long after its first attempt
 * @param retryBase        first backoff of a message's retry; doubled each attempt, with ±20% jitter
 * @param retryMax         backoff ceiling
 * @param circuitBase      first pause of a channel whose provider is unavailable; doubled while it stays so
 * @param circuitMax       longest pause between two probes of an unavailable provider
 * @param pollInterval     idle wait between claims when nothing is due
 * @param errorThreshold   share of message-specific permanent failures (last 15 minutes) that pauses a campaign
 * @param errorMinSample   sends needed before the threshold applies
 * @param shutdownGrace    how long a stopping node waits for the sends in progress to finish and be recorded
 */
@ConfigurationProperties("outreach.dispatch")
public record DispatchSettings(@Bindable(defaultValue = "true") boolean enabled,
                               @Bindable(defaultValue = "0") @Min(0) int emailConnections,
                               @Bindable(defaultValue = "0") @Min(0) int smsConnections,
                               @Bindable(defaultValue = "0") @Min(0) int batchSize,
                               @Bindable(defaultValue = "0") @DecimalMin("0") double emailRate,
                               @Bindable(defaultValue = "0") @DecimalMin("0") double smsRate,
                               @Bindable(defaultValue = "PT5S") Duration heartbeat,
                               @Bindable(defaultValue = "PT15S") Duration orphanAfter,
                               @Bindable(defaultValue = "P1D") Duration giveUpAfter,
                               @Bindable(defaultValue = "PT30S") Duration retryBase,
                               @Bindable(defaultValue = "PT1H") Duration retryMax,
                               @Bindable(defaultValue = "PT2S") Duration circuitBase,
                               @Bindable(defaultValue = "PT2M") Duration circuitMax,
                               @Bindable(defaultValue = "PT1S") Duration pollInterval,
                               @Bindable(defaultValue = "0.25") @DecimalMin("0") @DecimalMax("1") double errorThreshold,
                               @Bindable(defaultValue = "50") @Min(0) int errorMinSample,
                               @Bindable(defaultValue = "PT20S") Duration shutdownGrace) {

    /** Connections for a channel: as configured, or the default for this machine. */
    public int connections(health.outreach.common.Channel channel) {
        int configured = channel == health.outreach.common.Channel.EMAIL ? emailConnections : smsConnections;
        if (configured > 0) {
            return configured;
        }
        return channel == health.outreach.common.Channel.EMAIL
                ? Math.min(32, 8 * Runtime.getRuntime().availableProcessors()) : 4;
    }

    /** Messages claimed at once for a channel with this many connections. */
    public int batch(int connections) {
        return batchSize > 0 ? batchSize : Math.max(8, 4 * connections);
    }

    /** A node stops sending when its own heartbeat has not got through for this long, before others take its claims. */
    public Duration fenceAfter() {
        return orphanAfter.minus(heartbeat).isNegative() ? orphanAfter.dividedBy(2) : orphanAfter.minus(heartbeat);
    }
}
