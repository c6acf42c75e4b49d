package health.outreach.schedule;

import health.outreach.campaign.LaunchSchedule;
import jakarta.inject.Singleton;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.TimeZone;

/**
 * Tells Quartz when a campaign's timing fires. Jobs carry only the campaign id and read the row,
 * so a trigger that fires late, twice, or after a cancel does nothing harmful; the sweep launches
 * any campaign whose trigger was lost between our commit and Quartz's.
 */
@Singleton
public class QuartzLaunchSchedule implements LaunchSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(QuartzLaunchSchedule.class);
    static final String GROUP = "campaign";

    private final Scheduler scheduler;

    public QuartzLaunchSchedule(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void scheduleLaunch(long campaignId, Instant at) {
        JobDetail job = JobBuilder.newJob(LaunchJob.class).withIdentity("launch-" + campaignId, GROUP)
                .usingJobData("campaignId", Long.toString(campaignId)).requestRecovery().build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("launch-" + campaignId, GROUP).forJob(job)
                .startAt(Date.from(at))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        replace(job, trigger);
    }

    @Override
    public void scheduleEnrollment(long campaignId, String cron, String timeZone) {
        JobDetail job = JobBuilder.newJob(EnrollJob.class).withIdentity("enroll-" + campaignId, GROUP)
                .usingJobData("campaignId", Long.toString(campaignId)).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity("enroll-" + campaignId, GROUP).forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(timeZone))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        replace(job, trigger);
    }

    @Override
    public void unschedule(long campaignId) {
        try {
            scheduler.deleteJob(JobKey.jobKey("launch-" + campaignId, GROUP));
            scheduler.deleteJob(JobKey.jobKey("enroll-" + campaignId, GROUP));
        } catch (SchedulerException e) {
            LOG.warn("Could not remove the triggers of campaign {}: {}", campaignId, e.getMessage());
        }
    }

    private void replace(JobDetail job, Trigger trigger) {
        try {
            scheduler.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            LOG.warn("Could not schedule {}: {} (the sweep will pick it up)", job.getKey(), e.getMessage());
        }
    }
}
