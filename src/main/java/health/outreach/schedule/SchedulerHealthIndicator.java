package health.outreach.schedule;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} → scheduler: UP when this node's Quartz runs and its job store answers. */
@Singleton
class SchedulerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Scheduler scheduler;
    private final SchedulerSettings settings;

    SchedulerHealthIndicator(Scheduler scheduler, SchedulerSettings settings) {
        this.scheduler = scheduler;
        this.settings = settings;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            details.put("instanceId", scheduler.getSchedulerInstanceId());
            details.put("clustered", scheduler.getMetaData().isJobStoreClustered());
            details.put("jobs", scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup()).size());
            boolean running = scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
            healthStatus = running || !settings.enabled() ? HealthStatus.UP : HealthStatus.DOWN;
            details.put("running", running);
        } catch (SchedulerException e) {
            healthStatus = HealthStatus.DOWN;
            details.put("error", e.getMessage());
        }
        return details;
    }

    @Override
    protected String getName() {
        return "scheduler";
    }
}
