package health.outreach.schedule;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PreDestroy;
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

    /**
     * Creates the job and its trigger once for the cluster. A trigger kept from an earlier start
     * with another interval or cron (the setting changed) is rescheduled to the configured one.
     */
    private void install(Class<? extends org.quartz.Job> type, String name, org.quartz.ScheduleBuilder<?> schedule)
            throws SchedulerException {
        org.quartz.JobKey key = org.quartz.JobKey.jobKey(name, "system");
        org.quartz.Trigger wanted = org.quartz.TriggerBuilder.newTrigger().withIdentity(name, "system").forJob(key)
                .withSchedule(schedule).build();
        if (scheduler.checkExists(key)) {
            org.quartz.Trigger current = scheduler.getTrigger(wanted.getKey());
            if (current == null || !sameSchedule(current, wanted)) {
                LOG.info("Quartz job '{}' rescheduled to the configured timing", name);
                if (current == null) {
                    try {
                        scheduler.scheduleJob(wanted);
                    } catch (org.quartz.ObjectAlreadyExistsException e) {
                        // another node starting at the same moment put it back first
                    }
                } else {
                    scheduler.rescheduleJob(current.getKey(), wanted);
                }
            }
            return;
        }
        org.quartz.JobDetail job = org.quartz.JobBuilder.newJob(type).withIdentity(key).storeDurably().build();
        try {
            scheduler.scheduleJob(job, java.util.Set.of(wanted), false);
        } catch (org.quartz.ObjectAlreadyExistsException e) {
            // another node installed it first
        }
    }

    private static boolean sameSchedule(org.quartz.Trigger a, org.quartz.Trigger b) {
        if (a instanceof org.quartz.SimpleTrigger x && b instanceof org.quartz.SimpleTrigger y) {
            return x.getRepeatInterval() == y.getRepeatInterval();
        }
        if (a instanceof org.quartz.CronTrigger x && b instanceof org.quartz.CronTrigger y) {
            return x.getCronExpression().equals(y.getCronExpression());
        }
        return false;
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

    /** On shutdown this node takes no more triggers; the cluster's other nodes fire them from now on. */
    @PreDestroy
    void stop() {
        try {
            if (scheduler.isStarted() && !scheduler.isShutdown()) {
                scheduler.standby();
                LOG.info("Quartz scheduler stopped on this node");
            }
        } catch (SchedulerException e) {
            LOG.warn("Quartz scheduler could not be put on standby: {}", e.getMessage());
        }
    }
}
