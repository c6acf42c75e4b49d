package health.outreach.schedule;

import health.outreach.campaign.CampaignLauncher;
import jakarta.inject.Singleton;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Fires at a campaign's start: launches it if it is still SCHEDULED (the row decides, not the trigger). */
@Singleton
public class LaunchJob implements Job {

    private final CampaignLauncher launcher;

    public LaunchJob(CampaignLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public void execute(JobExecutionContext context) {
        launcher.launch(Long.parseLong(context.getMergedJobDataMap().getString("campaignId")));
    }
}
