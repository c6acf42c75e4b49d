package health.outreach.bench;

import health.outreach.campaign.CampaignService;
import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.segment.SegmentRule;
import health.outreach.segment.SegmentService;
import health.outreach.template.TemplateStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The funnel endpoint at scale on PostgreSQL: 1M contacts and 10M events on one campaign (three
 * steps over 90 days, counters filled as the live path fills them), then 200 calls to
 * {@code GET /api/v1/reports/campaigns/{id}} over HTTP against one naive GROUP BY over the raw
 * events in the same run. Target: p95 ≤ 50 ms. -Drows=N contacts (default 1,000,000),
 * -Devents=N (default 10,000,000).
 */
public final class ReportBenchmark {

    private static final int CALLS = 200;

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        long events = Long.getLong("events", 10_000_000L);
        try (BenchDatabase db = BenchDatabase.create();
             EmbeddedServer server = BenchServer.start(db, Map.of("outreach.scheduler.enabled", false, "outreach.dispatch.enabled", false))) {
            ApplicationContext ctx = server.getApplicationContext();
            System.out.printf("Report benchmark: %,d contacts, %,d events, PostgreSQL database %s%n", rows, events, db.name);
            long t0 = System.nanoTime();
            BenchData.contacts(db, rows);
            long campaign = campaign(ctx);
            generate(db, campaign, rows, events);
            System.out.printf(Locale.ROOT, "data generated in %.0f s%n", (System.nanoTime() - t0) / 1e9);

            long naive = naive(db, campaign);
            System.out.printf(Locale.ROOT, "%-44s %10.1f ms%n", "naive GROUP BY over raw events (baseline)", naive / 1e6);

            try (HttpClient http = HttpClient.create(server.getURL())) {
                BlockingHttpClient client = http.toBlocking();
                Map<?, ?> login = client.retrieve(HttpRequest.POST("/login", Map.of("username", "admin", "password", "bench-admin-password")),
                        Map.class);
                String token = (String) login.get("access_token");
                HttpRequest<?> funnel = HttpRequest.GET("/api/v1/reports/campaigns/" + campaign).bearerAuth(token);
                for (int i = 0; i < 20; i++) {
                    client.retrieve(funnel, Argument.STRING);
                }
                long[] times = new long[CALLS];
                String body = null;
                for (int i = 0; i < CALLS; i++) {
                    long start = System.nanoTime();
                    body = client.retrieve(funnel, Argument.STRING);
                    times[i] = System.nanoTime() - start;
                }
                Arrays.sort(times);
                double p50 = times[CALLS / 2] / 1e6;
                double p95 = times[(int) Math.ceil(CALLS * 0.95) - 1] / 1e6;
                System.out.printf(Locale.ROOT, "%-44s p50 %6.1f ms, p95 %6.1f ms, max %6.1f ms (%d calls, %,d bytes)%n",
                        "funnel endpoint over HTTP", p50, p95, times[CALLS - 1] / 1e6, CALLS, body.length());
                Timing.ratio("funnel p95 / naive GROUP BY", p95 / (naive / 1e6), "< 1", p95 < naive / 1e6);
                Timing.ratio("funnel p95 in ms", p95, "<= 50", p95 <= 50);
            }
        }
    }

    private static long campaign(ApplicationContext ctx) {
        long segment = ctx.getBean(SegmentService.class).create("everyone", null,
                new SegmentRule(null, null, "consent.email", "eq", "OPTED_IN"), "bench").id();
        TemplateStore templates = ctx.getBean(TemplateStore.class);
        long awareness = templates.findByLibraryKey("awareness-email").orElseThrow().id();
        long benefits = templates.findByLibraryKey("benefits-email").orElseThrow().id();
        long sms = templates.findByLibraryKey("symptoms-sms").orElseThrow().id();
        CampaignService campaigns = ctx.getBean(CampaignService.class);
        return campaigns.create(new CampaignViews.Form("bench report", segment, "en-US", "America/Chicago", List.of(
                new CampaignViews.StepForm(Channel.EMAIL, awareness, null, null, "PT0S", null, null),
                new CampaignViews.StepForm(Channel.SMS, sms, null, null, "P7D", null, null),
                new CampaignViews.StepForm(Channel.EMAIL, benefits, null, null, "P14D", null, null)), "ONCE", null,
                10, 30, null), "bench").id();
    }

    /**
     * Events spread over three steps and 90 days, then the counters the live path would have kept
     * for them (one GROUP BY here, as the nightly recount does), bookings for 2% of contacts and the
     * audience counters.
     */
    private static void generate(BenchDatabase db, long campaign, int rows, long events) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE campaign SET status = 'RUNNING', launched_at = now() WHERE id = " + campaign);
            s.execute("CREATE TEMP TABLE bench_step AS SELECT s.id, s.step_order, s.channel, v.id AS version_id FROM campaign_step s "
                    + "JOIN template_version v ON v.template_id = s.template_id AND v.version = s.template_version WHERE s.campaign_id = " + campaign);
            long t = System.nanoTime();
            s.execute("INSERT INTO event (event_type, occurred_at, recorded_at, contact_id, message_id, campaign_id, step_id, channel) "
                    + "SELECT (ARRAY['SENT','SENT','SENT','SENT','DELIVERED','DELIVERED','DELIVERED','CLICKED','CLICKED','OPENED',"
                    + "'UNSUBSCRIBED','FAILED','BOOKED','REPLIED'])[1 + (g * 7) % 14], "
                    + "timestamptz '2026-06-01 12:00:00+00' + ((g % 90) || ' days')::interval, now(), 1 + g % " + rows + ", g, "
                    + campaign + ", st.id, st.channel FROM generate_series(1, " + events + ") g "
                    + "JOIN bench_step st ON st.step_order = 1 + (g / 7) % 3");
            System.out.printf(Locale.ROOT, "  %,d events written in %.0f s%n", events, (System.nanoTime() - t) / 1e9);
            s.execute("INSERT INTO report_counter (campaign_id, step_id, channel, template_version_id, bucket_date, sent, delivered, "
                    + "failed, opened, clicked, clicked_unique, unsubscribed, replied, booked, queued) "
                    + "SELECT e.campaign_id, e.step_id, e.channel, st.version_id, CAST(e.occurred_at AT TIME ZONE 'UTC' AS DATE), "
                    + "COUNT(*) FILTER (WHERE event_type = 'SENT'), COUNT(*) FILTER (WHERE event_type = 'DELIVERED'), "
                    + "COUNT(*) FILTER (WHERE event_type = 'FAILED'), COUNT(*) FILTER (WHERE event_type = 'OPENED'), "
                    + "COUNT(*) FILTER (WHERE event_type = 'CLICKED'), COUNT(*) FILTER (WHERE event_type = 'CLICKED') / 2, "
                    + "COUNT(*) FILTER (WHERE event_type = 'UNSUBSCRIBED'), COUNT(*) FILTER (WHERE event_type = 'REPLIED'), "
                    + "COUNT(*) FILTER (WHERE event_type = 'BOOKED'), COUNT(*) FILTER (WHERE event_type = 'SENT') "
                    + "FROM event e JOIN bench_step st ON st.id = e.step_id WHERE e.campaign_id = " + campaign + " GROUP BY 1, 2, 3, 4, 5");
            s.execute("DELETE FROM campaign_counter WHERE campaign_id = " + campaign);
            s.execute("INSERT INTO campaign_counter (campaign_id, enrolled, holdout, reached, booked, booked_holdout) VALUES ("
                    + campaign + ", " + rows + ", " + rows / 10 + ", " + (rows - rows / 10) + ", " + rows / 50 + ", " + rows / 1000 + ")");
            s.execute("INSERT INTO booking (contact_id, source, external_id, status, requested_at, attribution, campaign_id, step_id, "
                    + "channel, template_version_id, touch, days_to_booking, created_at) SELECT g * 50, 'WEBHOOK', 'b' || g, 'BOOKED', now(), "
                    + "'ATTRIBUTED', " + campaign + ", st.id, st.channel, st.version_id, 'DELIVERED', g % 40, now() "
                    + "FROM generate_series(1, " + rows / 50 + ") g JOIN bench_step st ON st.step_order = 1 + g % 3");
            s.execute("INSERT INTO audience_counter (campaign_id, dimension, dim_value, reached, booked) "
                    + "SELECT " + campaign + ", 'REGION', left(postal_code, 3), COUNT(*), COUNT(*) / 50 FROM contact GROUP BY 3");
            s.execute("INSERT INTO audience_counter (campaign_id, dimension, dim_value, reached, booked) "
                    + "SELECT " + campaign + ", 'LOCALE', left(locale, 2), COUNT(*), COUNT(*) / 50 FROM contact GROUP BY 3");
            s.execute("VACUUM ANALYZE");
        }
    }

    /** What a report without counters would run: the funnel by step, channel and day straight from events. */
    private static long naive(BenchDatabase db, long campaign) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long start = System.nanoTime();
            long groups = 0;
            try (ResultSet rs = s.executeQuery("SELECT step_id, channel, CAST(occurred_at AT TIME ZONE 'UTC' AS DATE), event_type, COUNT(*) "
                    + "FROM event WHERE campaign_id = " + campaign + " GROUP BY 1, 2, 3, 4")) {
                while (rs.next()) {
                    groups++;
                }
            }
            long nanos = System.nanoTime() - start;
            if (groups == 0) {
                throw new IllegalStateException("no events to group");
            }
            return nanos;
        }
    }
}
