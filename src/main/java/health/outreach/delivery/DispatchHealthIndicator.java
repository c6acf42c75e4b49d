package health.outreach.delivery;

import health.outreach.common.Channel;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /health} → dispatch (signed-in users see the details): this node's dispatcher id, and per
 * channel whether its provider is usable (closed), backed off (open, with the reason) or being probed.
 * A provider's outage is not the node's: the status stays UP, so a load balancer keeps the node.
 */
@Singleton
class DispatchHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Dispatcher dispatcher;

    DispatchHealthIndicator(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = HealthStatus.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("node", dispatcher.node());
        for (Channel c : Channel.values()) {
            String state = dispatcher.circuit(c);
            details.put(c.name().toLowerCase(Locale.ROOT), state.equals("closed") ? state
                    : state + ": " + dispatcher.circuitReason(c));
        }
        return details;
    }

    @Override
    protected String getName() {
        return "dispatch";
    }
}
