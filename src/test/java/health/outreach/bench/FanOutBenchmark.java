package health.outreach.bench;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.campaign.CampaignService;
import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.segment.SegmentRule;
import health.outreach.segment.SegmentService;
import health.outreach.template.TemplateStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Fan-out on PostgreSQL: launching a campaign over 1M recipients (checkpointed batches with the
 * segment and consent predicates, holdout hash, zone grouping, due times out of quiet hours,
 * counters) against raw INSERT ... SELECT statements writing the same enrollment and message rows.
 * Target: at most 1.5× the raw statements. -Drows=N (default 1,000,000).
 */
public final class FanOutBenchmark {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        try (BenchDatabase db = BenchDatabase.create();
             EmbeddedServer server = BenchServer.start(db, Map.of("outreach.scheduler.enabled", false, "outreach.dispatch.enabled", false))) {
            ApplicationContext ctx = server.getApplicationContext();
            BenchData.contacts(db, rows);
            System.out.printf("Fan-out benchmark: %,d recipients, PostgreSQL database %s%n", rows, db.name);
            long segment = ctx.getBean(SegmentService.class).create("everyone by email", null,
                    new SegmentRule(null, null, "consent.email", "eq", "OPTED_IN"), "bench").id();
            long template = ctx.getBean(TemplateStore.class).findByLibraryKey("awareness-email").orElseThrow().id();
            CampaignService campaigns = ctx.getBean(CampaignService.class);

            long rawCampaign = campaign(campaigns, segment, template);
            long raw = raw(db, rawCampaign, template);
            Timing.line("raw INSERT ... SELECT (baseline)", rows, raw);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE message, enrollment CASCADE");
                s.execute("VACUUM ANALYZE");
            }

            long id = campaign(campaigns, segment, template);
            campaigns.act(id, "schedule");
            long start = System.nanoTime();
            ctx.getBean(CampaignLauncher.class).launch(id);
            long ours = System.nanoTime() - start;
            Timing.line("campaign launch: enrollment + fan-out", rows, ours);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                var rs = s.executeQuery("SELECT COUNT(*) FROM message WHERE campaign_id = " + id);
                rs.next();
                if (rs.getLong(1) != rows) {
                    throw new IllegalStateException("fan-out wrote " + rs.getLong(1) + " messages");
                }
            }
            double ratio = (double) ours / raw;
            Timing.ratio("launch time / raw time", ratio, "<= 1.5", ratio <= 1.5);
        }
    }

    private static long campaign(CampaignService campaigns, long segment, long template) {
        return campaigns.create(new CampaignViews.Form("bench " + System.nanoTime(), segment, "en-US", "America/Chicago",
                List.of(new CampaignViews.StepForm(Channel.EMAIL, template, null, null, "PT0S", null, null)), "ONCE", null,
                0, 30, null), "bench").id();
    }

    /** The same rows, written by two plain statements with no batching, predicates or due-time logic. */
    private static long raw(BenchDatabase db, long campaign, long template) throws Exception {
        long start = System.nanoTime();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement e = c.prepareStatement("INSERT INTO enrollment (campaign_id, contact_id, enrolled_at, holdout, "
                    + "time_zone, status) SELECT ?, id, now(), FALSE, COALESCE(time_zone, 'America/Chicago'), 'ACTIVE' FROM contact");
                 PreparedStatement m = c.prepareStatement("INSERT INTO message (campaign_id, step_id, enrollment_id, contact_id, "
                         + "channel, kind, template_version_id, status, due_at, created_at, updated_at) SELECT e.campaign_id, "
                         + "(SELECT id FROM campaign_step WHERE campaign_id = ?), e.id, e.contact_id, 'EMAIL', 'CAMPAIGN', "
                         + "(SELECT id FROM template_version WHERE template_id = ? AND version = 1), 'PENDING', now(), now(), now() "
                         + "FROM enrollment e WHERE e.campaign_id = ?")) {
                e.setLong(1, campaign);
                e.executeUpdate();
                m.setLong(1, campaign);
                m.setLong(2, template);
                m.setLong(3, campaign);
                m.executeUpdate();
            }
            c.commit();
        }
        return System.nanoTime() - start;
    }
}
