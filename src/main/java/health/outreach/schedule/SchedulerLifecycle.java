package health.outreach.schedule;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.inject.Singleton;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts this node's Quartz scheduler once the application (and its database) is up. */
@Singleton
class SchedulerLifecycle implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLifecycle.class);

    private final Scheduler scheduler;
    private final SchedulerSettings settings;

    SchedulerLifecycle(Scheduler scheduler, SchedulerSettings settings) {
        this.scheduler = scheduler;
        this.settings = settings;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("Quartz scheduler disabled on this node (outreach.scheduler.enabled=false)");
            return;
        }
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not start: " + e.getMessage(), e);
        }
    }
}
