package health.outreach.booking;

import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.events.CounterRebuild;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.SignedWebhooks;
import health.outreach.support.TestUsers;
import health.outreach.tracking.StandardWebhooks;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A booking's life as clinics report it, by webhook, FHIR and CSV, in order and out of order: the
 * status only moves forward, each move is an event with its source, a cancellation takes the person
 * out of the booked count once, and the recount agrees with the live counters throughout.
 */
@MicronautTest(transactional = false)
class BookingLifecycleTest {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("lifecycle-secret".getBytes());
    private static final String BROWSER = "Mozilla/5.0 (Linux; Android 14) Mobile";

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

    private String email(long contact) {
        return jdbc.queryOne("SELECT email FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }

    private Map<String, Object> webhook(String body, String contentType) {
        String id = "msg_" + UUID.randomUUID();
        long ts = fixture.clock().instant().getEpochSecond();
        Api.Response r = new Api(client).send(SignedWebhooks.unsigned("/webhooks/bookings", id, ts, body).contentType(contentType)
                .header("webhook-signature", StandardWebhooks.sign(SECRET, id, ts, body)));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private Map<String, Object> json(String bookingId, String status, long contact) {
        return webhook("{\"bookingId\":\"" + bookingId + "\",\"status\":\"" + status + "\",\"contact\":{\"email\":\""
                + email(contact) + "\"}}", "application/json");
    }

    private Map<String, Object> fhir(String id, String status, long contact) {
        return webhook("""
                {"resourceType":"Appointment","id":"%s","status":"%s","start":"2026-07-02T14:00:00Z",
                 "contained":[{"resourceType":"Patient","id":"p1","telecom":[{"system":"email","value":"%s"}]}],
                 "participant":[{"actor":{"reference":"#p1"},"status":"accepted"}]}""".formatted(id, status, email(contact)),
                "application/fhir+json");
    }

    private void csv(String clinicCode, String rows) {
        Api api = new Api(client);
        String coordinator = users.token(api, Role.COORDINATOR);
        Api.Response accepted = api.postCsv("/api/v1/bookings/import", "clinic,booking_id,status,email\r\n" + rows, coordinator);
        assertEquals(202, accepted.status(), accepted.body());
        Object id = accepted.json().get("id");
        Map<String, Object> report = await("the bookings import finished").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> api.get("/api/v1/imports/" + id, coordinator).json(),
                        r -> !"RUNNING".equals(r.get("status")));
        assertEquals(0, ((Number) report.get("rejected")).intValue(), report.toString());
    }

    private String status(String externalId) {
        return jdbc.queryOne("SELECT status FROM booking WHERE external_id = ?", rs -> rs.getString(1), externalId).orElseThrow();
    }

    private long counter(String column, long campaign) {
        return fixture.count("SELECT " + column + " FROM campaign_counter WHERE campaign_id = ?", campaign);
    }

    private void noDrift(long campaign, String when) {
        assertEquals(List.of(), rebuild.campaign(campaign, false), "the recount equals the live counters " + when);
    }

    @Test
    void statusesFromWebhookFhirAndCsvMoveForwardAndCancellationsLeaveTheBookedCount() {
        fixture.daytime();
        String tag = "life" + UUID.randomUUID().toString().substring(0, 6);
        List<Long> people = fixture.contacts(tag, 5, "America/Chicago");
        long web = people.get(0), fhirPerson = people.get(1), noShow = people.get(2), csvPerson = people.get(3), page = people.get(4);
        String code = "life-" + UUID.randomUUID().toString().substring(0, 6);
        long clinic = jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, 'Life', 'America/Chicago', ?, ?)",
                code, SECRET, Instant.now());
        long template = fixture.emailTemplate();
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, template),
                new CampaignViews.StepForm(Channel.EMAIL, template, null, null, "P3D", null, null));
        fixture.drain(dispatcher);
        fixture.clock().advance(Duration.ofHours(2));

        // Webhook: requested, confirmed, attended; then a stale confirmation that must not undo the visit.
        assertEquals("REQUESTED", json("W-1", "REQUESTED", web).get("status"));
        assertEquals(0, counter("booked", campaign), "a request is no booking");
        assertEquals(1, counter("bookings_requested", campaign));
        json("W-1", "BOOKED", web);
        assertEquals(1, counter("booked", campaign));
        json("W-1", "ATTENDED", web);
        assertEquals("ATTENDED", json("W-1", "BOOKED", web).get("status"), "a stale BOOKED after ATTENDED changes nothing");
        assertEquals("ATTENDED", status("W-1"));
        assertEquals(1, counter("booked", campaign));
        assertEquals(1, counter("attended", campaign));
        noDrift(campaign, "after the webhook's moves");

        // FHIR, out of order: arrived before booked, then cancelled (entered in error).
        assertEquals("ATTENDED", fhir("appt-" + tag, "arrived", fhirPerson).get("status"));
        assertEquals("ATTENDED", fhir("appt-" + tag, "booked", fhirPerson).get("status"));
        assertEquals(2, counter("booked", campaign));
        assertEquals(2, counter("attended", campaign));
        fhir("appt-" + tag, "entered-in-error", fhirPerson);
        assertEquals("CANCELLED", status("appt-" + tag));
        assertEquals("CANCELLED", fhir("appt-" + tag, "fulfilled", fhirPerson).get("status"), "nothing revives a cancelled booking");
        assertEquals(1, counter("booked", campaign), "the cancelled booking left the booked count");
        assertEquals(1, counter("attended", campaign));
        fhir("noshow-" + tag, "noshow", noShow);
        assertEquals("NO_SHOW", status("noshow-" + tag));
        assertEquals(2, counter("booked", campaign), "a no-show had booked");
        noDrift(campaign, "after FHIR's moves");

        // CSV: booked, then cancelled in a later file, then the same cancellation again.
        csv(code, code + ",K-" + tag + ",BOOKED," + email(csvPerson) + "\r\n");
        assertEquals(3, counter("booked", campaign));
        csv(code, code + ",K-" + tag + ",CANCELLED," + email(csvPerson) + "\r\n");
        csv(code, code + ",K-" + tag + ",cancelled," + email(csvPerson) + "\r\n");
        assertEquals("CANCELLED", status("K-" + tag));
        assertEquals(2, counter("booked", campaign), "decremented once, however often the cancellation arrives");
        noDrift(campaign, "after the CSV's moves");

        // The booking page: a request, which stops the later step but is not counted as booked.
        Api.Response form = new Api(client).send(HttpRequest.GET("/book/" + fixture.tokenOf(
                "SELECT id FROM message WHERE campaign_id = ? AND contact_id = ? ORDER BY id LIMIT 1", campaign, page))
                .header("User-Agent", BROWSER));
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(csrf.find());
        String token = fixture.tokenOf("SELECT id FROM message WHERE campaign_id = ? AND contact_id = ? ORDER BY id LIMIT 1", campaign, page);
        assertEquals(200, new Api(client).send(HttpRequest.POST("/book/" + token, "csrf=" + csrf.group(1) + "&clinic=" + clinic
                        + "&times=Mornings&method=phone").contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .header("User-Agent", BROWSER).header("Sec-Fetch-Site", "same-origin")).status());
        assertEquals(2, counter("booked", campaign));
        fixture.clock().advance(Duration.ofDays(4));
        fixture.drain(dispatcher);
        assertEquals("SKIPPED", jdbc.queryOne("SELECT status FROM message WHERE contact_id = ? AND campaign_id = ? ORDER BY id DESC LIMIT 1",
                rs -> rs.getString(1), page, campaign).orElseThrow(), "stop on booking: a request is enough");
        noDrift(campaign, "at the end");

        // Every move is an event with its source.
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM event WHERE event_type = 'BOOKING' AND contact_id = ?", web));
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM event WHERE event_type = 'BOOKING' AND contact_id = ? "
                + "AND payload LIKE '%\"source\":\"fhir\"%'", fhirPerson));
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM event WHERE event_type = 'BOOKING' AND contact_id = ? "
                + "AND payload LIKE '%\"source\":\"csv\"%'", csvPerson));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM event WHERE event_type = 'BOOKING' AND contact_id = ? "
                + "AND payload LIKE '%\"status\":\"REQUESTED\"%' AND payload LIKE '%\"source\":\"page\"%'", page));

        // The report: people who booked and attended, bookings per status, in the funnel's steps too.
        Api api = new Api(client);
        Map<String, Object> report = api.get("/api/v1/reports/campaigns/" + campaign, users.token(api, Role.MANAGER)).json();
        assertEquals(2L, number(report, "booked"));
        assertEquals(1L, number(report, "attended"));
        assertEquals("BOOKED", report.get("conversion"));
        assertEquals(List.of(Map.of("status", "REQUESTED", "bookings", 1), Map.of("status", "BOOKED", "bookings", 0),
                Map.of("status", "ATTENDED", "bookings", 1), Map.of("status", "NO_SHOW", "bookings", 1),
                Map.of("status", "CANCELLED", "bookings", 2)), report.get("bookingsByStatus"));
        long bookedBySteps = ((List<?>) report.get("byStep")).stream().mapToLong(s -> ((Number) ((Map<?, ?>) s).get("booked")).longValue()).sum();
        assertEquals(2, bookedBySteps);
    }

    @Test
    void theProgramCanCountAttendanceAsTheConversion() {
        fixture.daytime();
        String tag = "conv" + UUID.randomUUID().toString().substring(0, 6);
        List<Long> people = fixture.contacts(tag, 2, "America/Chicago");
        jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, 'Conv', 'America/Chicago', ?, ?)",
                "conv-" + UUID.randomUUID().toString().substring(0, 6), SECRET, Instant.now());
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        json("C-" + tag + "-1", "BOOKED", people.get(0));
        json("C-" + tag + "-2", "ATTENDED", people.get(1));
        Api api = new Api(client);
        String admin = users.token(api, Role.ADMIN);
        String manager = users.token(api, Role.MANAGER);
        assertEquals(1.0, ((Number) api.get("/api/v1/reports/campaigns/" + campaign, manager).json().get("conversionRate")).doubleValue());
        assertEquals(403, api.put("/api/v1/program/conversion", Map.of("status", "ATTENDED"), manager).status());
        assertEquals(422, api.put("/api/v1/program/conversion", Map.of("status", "SHOWED_UP"), admin).status());
        try {
            assertEquals(200, api.put("/api/v1/program/conversion", Map.of("status", "ATTENDED"), admin).status());
            Map<String, Object> report = api.get("/api/v1/reports/campaigns/" + campaign, manager).json();
            assertEquals("ATTENDED", report.get("conversion"));
            assertEquals(2L, number(report, "booked"), "both booked");
            assertEquals(1L, number(report, "converted"), "one attended");
            assertEquals(0.5, ((Number) report.get("conversionRate")).doubleValue());
            assertEquals(1, fixture.count("SELECT COUNT(*) FROM audit_log WHERE action = 'program.conversion' AND detail LIKE '%ATTENDED%'"));
        } finally {
            api.put("/api/v1/program/conversion", Map.of("status", "BOOKED"), admin);
        }
    }

    private static long number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).longValue();
    }
}
