package health.outreach.schedule;

import health.outreach.campaign.CampaignLauncher;
import jakarta.inject.Singleton;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A recurring campaign's cron: enrolls the segment's new members if the campaign is RUNNING. */
@Singleton
public class EnrollJob implements Job {

    private final CampaignLauncher launcher;

    public EnrollJob(CampaignLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public void execute(JobExecutionContext context) {
        launcher.enrollNewMembers(Long.parseLong(context.getMergedJobDataMap().getString("campaignId")));
    }
}
