package health.outreach.schedule;

import health.outreach.campaign.CampaignService;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.DeliveryFixture;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Quartz on the application database: the launch trigger fires our job; the sweep completes the campaign. */
@MicronautTest(transactional = false)
@Property(name = "outreach.scheduler.enabled", value = "true")
@Property(name = "outreach.scheduler.sweep-interval", value = "PT1S")
class QuartzLaunchTest {

    @Inject
    DeliveryFixture fixture;

    @Inject
    CampaignService campaigns;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Inject
    Jdbc jdbc;

    @Inject
    SchedulerLifecycle lifecycle;

    @Test
    void aScheduledCampaignLaunchesFromItsTriggerAndCompletesWhenSent() throws Exception {
        assertTrue(scheduler.checkExists(JobKey.jobKey("sweep", "system")), "the sweep is installed in the job store");
        String tag = "QTZ01";
        fixture.contacts(tag, 5, "America/Chicago");
        long id = fixture.create(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        campaigns.act(id, "schedule");
        assertTrue(scheduler.checkExists(JobKey.jobKey("launch-" + id, "campaign")), "a launch trigger exists");

        // The trigger fires on a Quartz thread: RUNNING first, then enrollment and fan-out.
        await("the launch trigger enrolled the segment").atMost(Duration.ofSeconds(60)).until(() ->
                jdbc.queryLong("SELECT COUNT(*) FROM campaign WHERE id = ? AND enrollment_finished_at IS NOT NULL", id) == 1);
        assertEquals("RUNNING", status(id));
        assertEquals(5, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ?", id));
        fixture.drain(dispatcher);
        await("the sweep completed the campaign").atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(status(id)));
        assertEquals(5, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", id));
    }

    @Test
    void aSweepTriggerKeptWithAnOldIntervalIsRescheduledToTheConfiguredOne() throws Exception {
        TriggerKey key = TriggerKey.triggerKey("sweep", "system");
        scheduler.rescheduleJob(key, TriggerBuilder.newTrigger().withIdentity(key).forJob(JobKey.jobKey("sweep", "system"))
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(60)).build());
        assertEquals(60_000, ((SimpleTrigger) scheduler.getTrigger(key)).getRepeatInterval(), "as an earlier start left it");
        lifecycle.onApplicationEvent(null); // the next start, configured with PT1S
        assertEquals(1_000, ((SimpleTrigger) scheduler.getTrigger(key)).getRepeatInterval());
    }

    private String status(long id) {
        return jdbc.queryOne("SELECT status FROM campaign WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
    }

}
