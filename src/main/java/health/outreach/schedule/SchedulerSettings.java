package health.outreach.schedule;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * @param name             the cluster's scheduler name: every node of one cluster must use the same
 * @param enabled          run Quartz on this node (every node of a cluster normally does)
 * @param threads          Quartz worker threads (jobs are short: they write rows, dispatchers send)
 * @param checkinInterval  how often a node tells the cluster it is alive; a silent node's jobs are
 *                         recovered by the others after about this long
 * @param sweepInterval    how often the sweep runs (expired leases, lost launches, completion)
 * @param counterRebuildCron when the report counters are recounted from raw events (Quartz cron, server zone)
 */
@ConfigurationProperties("outreach.scheduler")
public record SchedulerSettings(@Bindable(defaultValue = "outreach") @NotBlank String name,
                                @Bindable(defaultValue = "true") boolean enabled,
                                @Bindable(defaultValue = "4") @Min(1) int threads,
                                @Bindable(defaultValue = "PT10S") Duration checkinInterval,
                                @Bindable(defaultValue = "PT10S") Duration sweepInterval,
                                @Bindable(defaultValue = "0 30 3 * * ?") @NotBlank String counterRebuildCron) {
}
