package health.outreach.report;

import health.outreach.campaign.CampaignLauncher;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default end to end: the seeded demo campaign sends, a person clicks and books
 * through the seeded clinic's signed webhook, another unsubscribes with one click, and the funnel
 * and its CSV show the booking in the step and channel that led to it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoFlowTest implements TestPropertyProvider {

    private static final Pattern TRACKED = Pattern.compile("/r/([A-Za-z0-9_-]{22})-[0-9]+");

    @Inject
    DeliveryFixture fixture;

    @Inject
    CampaignLauncher launcher;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    TestUsers users;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.seeds-enabled", "true");
    }

    @Test
    void aClickedDemoEmailLeadsToABookingThatTheFunnelShowsInItsStep() throws IOException {
        long campaign = jdbc.queryLong("SELECT id FROM campaign WHERE name = 'Spine health awareness (demo)'");
        fixture.daytime();
        launcher.launch(campaign);
        fixture.drain(dispatcher);
        List<Long> steps = jdbc.query("SELECT id FROM campaign_step WHERE campaign_id = ? ORDER BY step_order", rs -> rs.getLong(1), campaign);

        // Two people who got the first email: one clicks and books, one unsubscribes with one click.
        List<Map<String, Object>> firstEmails = jdbc.query("SELECT m.contact_id, c.email, cm.html_body FROM message m "
                + "JOIN contact c ON c.id = m.contact_id JOIN captured_message cm ON cm.message_id = m.id "
                + "WHERE m.step_id = ? AND m.status = 'SENT' ORDER BY m.id LIMIT 2",
                rs -> Map.of("contact", rs.getLong(1), "email", rs.getString(2), "html", rs.getString(3)), steps.get(0));
        assertEquals(2, firstEmails.size());
        Matcher link = TRACKED.matcher((String) firstEmails.get(0).get("html"));
        assertTrue(link.find(), "the demo email carries tracked links");
        Api api = new Api(client);
        Api.Response click = api.send(HttpRequest.GET(link.group()).header("User-Agent", "Mozilla/5.0 (iPhone) Mobile Safari"));
        assertEquals(302, click.status());

        Matcher other = Pattern.compile("/u/([A-Za-z0-9_-]{22})").matcher((String) firstEmails.get(1).get("html"));
        assertTrue(other.find(), "the demo email carries its unsubscribe link");
        assertEquals(200, api.send(HttpRequest.POST(other.group(), "List-Unsubscribe=One-Click")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)).status());

        fixture.clock().advance(Duration.ofHours(20));
        Map<String, Object> clinic = jdbc.queryOne("SELECT id, webhook_secret FROM clinic ORDER BY id LIMIT 1",
                rs -> Map.<String, Object>of("id", rs.getLong(1), "secret", rs.getString(2))).orElseThrow();
        String body = "{\"bookingId\":\"demo-1\",\"status\":\"BOOKED\",\"contact\":{\"email\":\"" + firstEmails.get(0).get("email") + "\"}}";
        long ts = fixture.clock().instant().getEpochSecond();
        Api.Response booked = api.send(SignedWebhooks.post("/webhooks/bookings", (String) clinic.get("secret"), "demo-webhook-1", ts, body));
        assertEquals(200, booked.status(), booked.body());

        // Three days on, the benefits email goes to others but not to the one who booked or the one who left.
        fixture.clock().advance(Duration.ofDays(4));
        fixture.drain(dispatcher);
        for (Map<String, Object> person : firstEmails) {
            assertEquals("SKIPPED", jdbc.queryOne("SELECT status FROM message WHERE contact_id = ? AND step_id = ?",
                    rs -> rs.getString(1), person.get("contact"), steps.get(2)).orElseThrow());
        }
        assertTrue(fixture.count("SELECT COUNT(*) FROM message WHERE step_id = ? AND status = 'SENT'", steps.get(2)) > 100);

        String manager = users.token(api, Role.MANAGER);
        Map<String, Object> report = api.get("/api/v1/reports/campaigns/" + campaign, manager).json();
        assertEquals(1L, ((Number) report.get("booked")).longValue());
        Map<?, ?> firstStep = (Map<?, ?>) ((List<?>) report.get("byStep")).get(0);
        assertEquals("step-1", firstStep.get("key"));
        assertEquals(1L, ((Number) firstStep.get("booked")).longValue(), "the booking sits in the clicked step");
        assertTrue(((Number) firstStep.get("clicked")).longValue() >= 1);
        Map<?, ?> email = (Map<?, ?>) ((List<?>) report.get("byChannel")).stream()
                .filter(c -> "EMAIL".equals(((Map<?, ?>) c).get("key"))).findFirst().orElseThrow();
        assertEquals(1L, ((Number) email.get("booked")).longValue());
        assertTrue(((Number) report.get("unsubscribed")).longValue() >= 1);

        String csv = api.get("/api/v1/reports/campaigns/" + campaign + ".csv", manager).body();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.DEFAULT)) {
            var records = parser.getRecords();
            records.forEach(r -> assertEquals(ReportCsv.HEADER.length, r.size(), r.toString()));
            assertTrue(records.stream().anyMatch(r -> r.get(0).equals("step") && r.get(1).equals("step-1") && r.get(11).equals("1")), csv);
        }
    }
}
