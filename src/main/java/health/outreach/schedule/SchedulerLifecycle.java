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

    /** One cluster-wide sweep trigger; created by the first node, found by the others. */
    private void installSweep() throws SchedulerException {
        install(SweepJob.class, "sweep", org.quartz.SimpleScheduleBuilder.repeatSecondlyForever((int) settings.sweepInterval().toSeconds())
                .withMisfireHandlingInstructionNextWithRemainingCount());
        // Nightly recount of the report counters from raw events; a missed night runs once, late.
        install(CounterRebuildJob.class, "counter-rebuild", org.quartz.CronScheduleBuilder.cronSchedule(settings.counterRebuildCron())
                .withMisfireHandlingInstructionFireAndProceed());
    }

    private void install(Class<? extends org.quartz.Job> type, String name, org.quartz.ScheduleBuilder<?> schedule)
            throws SchedulerException {
        org.quartz.JobKey key = org.quartz.JobKey.jobKey(name, "system");
        if (scheduler.checkExists(key)) {
            return;
        }
        org.quartz.JobDetail job = org.quartz.JobBuilder.newJob(type).withIdentity(key).storeDurably().build();
        org.quartz.Trigger trigger = org.quartz.TriggerBuilder.newTrigger().withIdentity(name, "system").forJob(job)
                .withSchedule(schedule).build();
        try {
            scheduler.scheduleJob(job, java.util.Set.of(trigger), false);
        } catch (org.quartz.ObjectAlreadyExistsException e) {
            // another node installed it first
        }
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("Quartz scheduler disabled on this node (outreach.scheduler.enabled=false)");
            return;
        }
        try {
            installSweep();
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz could not start: " + e.getMessage(), e);
        }
    }
}
