package health.outreach.delivery;

import health.outreach.common.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node's dispatcher did, for {@code /prometheus}: {@code outreach_messages_dispatched_total}
 * by channel and outcome (sent, retry, bounced, unknown, ...): what this node's sends came to, counted
 * after their record committed (a late outcome for a message whose lease another node took counts
 * here too, though the outbox kept the other node's). Per node by nature: the report counters are
 * the campaign-wide truth.
 */
@Singleton
public class DispatchMetrics {

    static final String NAME = "outreach.messages.dispatched";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    DispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void recorded(List<Recorder.Result> results) {
        for (Recorder.Result r : results) {
            counter(r.message().channel(), r.kind()).increment();
        }
    }

    /** Messages this node has recorded as sent on the channel since it started. */
    public long sent(Channel channel) {
        return (long) counter(channel, Recorder.Kind.SENT).count();
    }

    private Counter counter(Channel channel, Recorder.Kind kind) {
        String outcome = kind.name().toLowerCase(Locale.ROOT);
        return counters.computeIfAbsent(channel.name() + ":" + outcome, k -> Counter.builder(NAME)
                .description("Messages whose outcome this node recorded")
                .tag("channel", channel.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(registry));
    }
}
