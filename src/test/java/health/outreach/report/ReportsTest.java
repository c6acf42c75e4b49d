package health.outreach.report;

import health.outreach.events.CounterRebuild;
import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.SignedWebhooks;
import health.outreach.support.TestUsers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A randomised campaign run, then the counters against a recount, the funnel and its CSV. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsTest implements TestPropertyProvider {

    private static final String CLINIC_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("reports-clinic".getBytes());
    private static final String EMAIL_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("reports-email".getBytes());
    private static final String BROWSER = "Mozilla/5.0 (Macintosh) Safari";

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    CounterRebuild rebuild;

    @Inject
    TestUsers users;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.tracking.email-webhook-secrets", EMAIL_SECRET);
    }

    private Api api() {
        return new Api(client);
    }

    private void signed(String path, String secret, String body) {
        String id = "w_" + UUID.randomUUID();
        long ts = fixture.clock().instant().getEpochSecond();
        Api.Response r = api().send(SignedWebhooks.post(path, secret, id, ts, body));
        assertEquals(200, r.status(), r.body());
        // Providers retry: the same delivery again must change nothing.
        api().send(SignedWebhooks.post(path, secret, id, ts, body));
    }

    /** 60 people, email now and SMS two days later, 20% holdout; random clicks, bounces, unsubscribes and bookings. */
    private long randomisedRun(long seed) {
        Random random = new Random(seed);
        fixture.daytime();
        jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, 'R', 'America/Chicago', ?, ?)",
                "r-" + seed, CLINIC_SECRET, Instant.now());
        String tag = "rep" + Math.floorMod(seed, 1_000_000L);
        List<Long> people = fixture.contacts(tag, 60, "America/Chicago");
        String[] zips = {"60601", "60614", "10001", "94110", "73301"};
        for (long id : people) {
            jdbc.update("UPDATE contact SET locale = ? WHERE id = ?", random.nextInt(3) == 0 ? "es-US" : "en-US", id);
        }
        long email = fixture.emailTemplate();
        long sms = fixture.smsTemplate("Spine tips: ${link(\"https://example.org/s\")}");
        long campaign = fixture.launch(fixture.segment(tag), 20, DeliveryFixture.now(Channel.EMAIL, email),
                new CampaignViews.StepForm(Channel.SMS, sms, null, null, "P2D", null, null));
        // The segment selected people by their tag; once enrolled, spread them over regions.
        for (long id : people) {
            jdbc.update("UPDATE contact SET postal_code = ? WHERE id = ?", zips[random.nextInt(zips.length)], id);
        }
        fixture.drain(dispatcher);
        for (int round = 0; round < 2; round++) {
            for (long message : jdbc.query("SELECT id FROM message WHERE campaign_id = ? AND status = 'SENT'", rs -> rs.getLong(1), campaign)) {
                String token = fixture.token(message);
                String link = fixture.firstLinkPath(message);
                int dice = random.nextInt(10);
                if (dice < 3) {
                    for (int i = 0; i <= random.nextInt(3); i++) {
                        api().send(HttpRequest.GET(link).header("User-Agent", BROWSER));
                    }
                } else if (dice == 3) {
                    signed("/webhooks/email/events", EMAIL_SECRET, "{\"type\":\"delivered\",\"messageId\":\"<" + token + "@x>\"}");
                } else if (dice == 4) {
                    api().send(HttpRequest.POST("/u/" + token, "List-Unsubscribe=One-Click").contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE));
                } else if (dice == 5) {
                    signed("/webhooks/email/events", EMAIL_SECRET, "{\"type\":\"bounce\",\"bounceType\":\"hard\",\"messageId\":\"<" + token + "@x>\"}");
                }
            }
            for (long id : people) {
                if (random.nextInt(6) == 0) {
                    String address = jdbc.queryOne("SELECT email FROM contact WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
                    signed("/webhooks/bookings", CLINIC_SECRET, "{\"bookingId\":\"" + id + "\",\"status\":\"BOOKED\","
                            + "\"contact\":{\"email\":\"" + address + "\"}}");
                }
            }
            fixture.clock().advance(Duration.ofDays(2).plusHours(1));
            fixture.drain(dispatcher);
        }
        return campaign;
    }

    @Test
    void countersEqualARecountFromRawEventsAndDriftIsFoundAndRepaired() {
        long seed = System.nanoTime();
        long campaign = randomisedRun(seed);
        assertEquals(List.of(), rebuild.campaign(campaign, false), "seed " + seed);
        assertTrue(fixture.count("SELECT SUM(clicked) FROM report_counter WHERE campaign_id = ?", campaign) > 0, "seed " + seed);

        jdbc.update("UPDATE report_counter SET sent = sent + 3 WHERE campaign_id = ? AND channel = 'EMAIL' AND bucket_date = "
                + "(SELECT MIN(bucket_date) FROM report_counter WHERE campaign_id = ?)", campaign, campaign);
        jdbc.update("UPDATE campaign_counter SET booked = booked + 1 WHERE campaign_id = ?", campaign);
        List<CounterRebuild.Drift> drift = rebuild.campaign(campaign, true);
        assertEquals(List.of("sent", "booked"), drift.stream().map(CounterRebuild.Drift::metric).toList(), drift.toString());
        assertEquals(3, drift.get(0).counted() - drift.get(0).recounted());
        assertEquals(List.of(), rebuild.campaign(campaign, false), "repaired");
    }

    @Test
    void theFunnelMatchesTheRawRowsAndTheCsvOpensCleanly() throws IOException {
        long campaign = randomisedRun(42);
        Api api = api();
        String manager = users.token(api, Role.MANAGER);
        Api.Response response = api.get("/api/v1/reports/campaigns/" + campaign, manager);
        assertEquals(200, response.status(), response.body());
        Map<String, Object> report = response.json();
        assertEquals(fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND sent_at IS NOT NULL", campaign),
                number(report, "sent"));
        assertEquals(fixture.count("SELECT COUNT(*) FROM booking WHERE campaign_id = ? AND attribution = 'ATTRIBUTED'", campaign),
                number(report, "booked"));
        assertEquals(fixture.count("SELECT COUNT(*) FROM booking WHERE campaign_id = ? AND attribution = 'HOLDOUT'", campaign),
                number(report, "bookedHoldout"));
        assertEquals(fixture.count("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ? AND first_reached_at IS NOT NULL", campaign),
                number(report, "reached"));
        List<?> steps = (List<?>) report.get("byStep");
        assertEquals(2, steps.size());
        long bookedByStep = steps.stream().mapToLong(s -> ((Number) ((Map<?, ?>) s).get("booked")).longValue()).sum();
        assertEquals(number(report, "booked"), bookedByStep, "every attributed booking sits in one step");
        assertEquals(List.of("EMAIL", "SMS"), ((List<?>) report.get("byChannel")).stream().map(c -> ((Map<?, ?>) c).get("key")).toList());
        Map<?, ?> lift = (Map<?, ?>) report.get("lift");
        assertEquals(Boolean.FALSE, lift.get("shown"), "60 people cannot support an interval: " + lift);
        long regionReached = ((List<?>) report.get("byRegion")).stream().mapToLong(r -> ((Number) ((Map<?, ?>) r).get("reached")).longValue()).sum();
        assertEquals(number(report, "reached"), regionReached);

        Api.Response csv = api.get("/api/v1/reports/campaigns/" + campaign + ".csv", users.token(api, Role.COORDINATOR));
        assertEquals(200, csv.status());
        assertTrue(csv.contentType().startsWith("text/csv"));
        try (CSVParser parser = CSVParser.parse(new StringReader(csv.body()), CSVFormat.DEFAULT)) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(List.of(ReportCsv.HEADER), List.of(records.get(0).values()));
            records.forEach(r -> assertEquals(ReportCsv.HEADER.length, r.size(), r.toString()));
            assertTrue(records.stream().anyMatch(r -> r.get(0).equals("step")));
            assertTrue(records.stream().noneMatch(r -> r.toString().contains("@example.org")), "no personal data");
        }
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM audit_log WHERE action = 'reports.export' AND entity_id = ?",
                Long.toString(campaign)));

        assertEquals(404, api.get("/api/v1/reports/campaigns/999999", manager).status());
        assertEquals(404, api.get("/api/v1/reports/campaigns/abc.csv", manager).status());
        Map<String, Object> overview = api.get("/api/v1/reports/overview?from=2026-06-01&to=2026-07-31", manager).json();
        assertTrue(((List<?>) overview.get("campaigns")).stream().anyMatch(c -> ((Number) ((Map<?, ?>) c).get("campaignId")).longValue() == campaign));
        assertEquals(422, api.get("/api/v1/reports/overview?from=2026-08-01&to=2026-07-01", manager).status());
        assertEquals(422, api.get("/api/v1/reports/overview?from=yesterday", manager).status());
    }

    private static long number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).longValue();
    }
}
