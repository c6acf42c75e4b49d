package health.outreach.campaign;

import java.time.Instant;

/**
 * When a campaign's timing fires. The scheduler behind it calls back into {@link CampaignLauncher};
 * a trigger that fires late, twice, or after a cancel does nothing harmful, and the sweep launches any
 * campaign whose trigger was lost.
 */
public interface LaunchSchedule {

    void scheduleLaunch(long campaignId, Instant at);

    /** Recurring enrollment on the campaign's cron, in the campaign's time zone; missed runs are not replayed. */
    void scheduleEnrollment(long campaignId, String cron, String timeZone);

    void unschedule(long campaignId);
}
