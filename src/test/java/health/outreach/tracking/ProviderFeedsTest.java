package health.outreach.tracking;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ContactStore;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the mail system and clinics feed back: email events (signed) and a clinic's booking CSV. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderFeedsTest implements TestPropertyProvider {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("email-events-secret".getBytes());

    @Inject
    DeliveryFixture fixture;

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
        return Map.of("outreach.tracking.email-webhook-secrets", SECRET);
    }

    private Api.Response emailEvent(String body) {
        String id = "evt_" + UUID.randomUUID();
        Instant now = fixture.clock().instant();
        return new Api(client).send(SignedWebhooks.post("/webhooks/email/events", SECRET, id, now.getEpochSecond(), body));
    }

    private final java.util.Map<String, Long> tokenIds = new java.util.concurrent.ConcurrentHashMap<>();

    private List<String> sentTokens(long campaign) {
        List<String> tokens = new java.util.ArrayList<>();
        for (long id : jdbc.query("SELECT id FROM message WHERE campaign_id = ? ORDER BY contact_id", rs -> rs.getLong(1), campaign)) {
            tokens.add(fixture.token(id));
            tokenIds.put(fixture.token(id), id);
        }
        return tokens;
    }

    @Test
    void bouncesComplaintsAndMailtoUnsubscribesSuppressOrOptOut() {
        fixture.daytime();
        List<Long> people = fixture.contacts("emailevents", 4, "America/Denver");
        long campaign = fixture.launch(fixture.segment("emailevents"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        List<String> tokens = sentTokens(campaign);
        String domain = "@outreach.example.org>";

        String batch = "[{\"type\":\"delivered\",\"messageId\":\"<" + tokens.get(0) + domain + "\"},"
                + "{\"type\":\"bounce\",\"bounceType\":\"hard\",\"messageId\":\"<" + tokens.get(1) + domain + "\",\"reason\":\"550 5.1.1\"},"
                + "{\"type\":\"complaint\",\"messageId\":\"<" + tokens.get(2) + domain + "\"},"
                + "{\"type\":\"unsubscribe\",\"subject\":\"unsubscribe " + tokens.get(3) + "\"},"
                + "{\"type\":\"bounce\",\"bounceType\":\"hard\",\"messageId\":\"<AAAAAAAAAAAAAAAAAAAAAA" + domain + "\"}]";
        Api.Response r = emailEvent(batch);
        assertEquals(200, r.status(), r.body());
        assertEquals(4, ((Number) r.json().get("applied")).intValue(), "the unknown message is ignored");

        assertEquals("DELIVERED", status(tokens.get(0)));
        assertEquals("BOUNCED", status(tokens.get(1)));
        assertTrue(suppressed(people.get(1)), "a hard bounce suppresses the address");
        assertTrue(suppressed(people.get(2)), "a complaint suppresses the address");
        assertEquals("OPTED_OUT", consent(people.get(2)));
        assertEquals("OPTED_OUT", consent(people.get(3)), "the mailto: form of List-Unsubscribe is honoured");
        assertEquals("OPTED_IN", consent(people.get(0)));

        // Late or replayed news never moves a message backwards.
        emailEvent("{\"type\":\"delivered\",\"messageId\":\"<" + tokens.get(1) + domain + "\"}");
        assertEquals("BOUNCED", status(tokens.get(1)));
        assertEquals(1, fixture.count("SELECT SUM(delivered) FROM report_counter WHERE campaign_id = ?", campaign));
        assertEquals(2, fixture.count("SELECT SUM(unsubscribed) FROM report_counter WHERE campaign_id = ?", campaign));

        Api.Response unsigned = new Api(client).send(HttpRequest.POST("/webhooks/email/events", batch)
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(401, unsigned.status());
    }

    @Test
    void aClinicCsvImportsBookingsRowByRow() {
        fixture.daytime();
        List<Long> people = fixture.contacts("bookingcsv", 2, "America/Denver");
        long campaign = fixture.launch(fixture.segment("bookingcsv"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        jdbc.insert("INSERT INTO clinic (code, name, time_zone, created_at) VALUES ('csv-clinic', 'CSV Clinic', 'America/Denver', ?)",
                Instant.now());
        String email0 = email(people.get(0));
        String email1 = email(people.get(1));
        String bookedAt = fixture.clock().instant().plusSeconds(3600).toString();
        fixture.clock().advance(java.time.Duration.ofDays(2));
        String csv = "clinic,booking_id,status,booked_at,appointment_at,email,phone,token\r\n"
                + "csv-clinic,K-1,BOOKED," + bookedAt + ",2026-07-01T15:00:00Z," + email0 + ",,\r\n"
                + "no-such-clinic,K-2,BOOKED,,,," + email1 + ",\r\n"
                + "csv-clinic,K-3,BOOKED,,tomorrow," + email1 + ",,\r\n"
                + "csv-clinic,K-4,BOOKED,,,nobody@example.org,,\r\n"
                + "=HYPERLINK(\"x\"),K-5,BOOKED,,,," + email1 + ",\r\n";
        Api api = new Api(client);
        String coordinator = users.token(api, Role.COORDINATOR);
        assertEquals(403, api.postCsv("/api/v1/bookings/import", csv, users.token(api, Role.MANAGER)).status());
        Api.Response accepted = api.postCsv("/api/v1/bookings/import", csv, coordinator);
        assertEquals(202, accepted.status(), accepted.body());
        Object importId = accepted.json().get("id");
        Map<String, Object> report = await("the bookings import finished").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> api.get("/api/v1/imports/" + importId, coordinator).json(),
                        r -> !"RUNNING".equals(r.get("status")));
        assertEquals("DONE", report.get("status"), report.toString());
        assertEquals(1, ((Number) report.get("imported")).intValue(), report.toString());
        assertEquals(4, ((Number) report.get("rejected")).intValue(), report.toString());
        List<?> errors = (List<?>) report.get("errors");
        assertEquals(List.of(3, 4, 5, 6), errors.stream().map(e -> ((Number) ((Map<?, ?>) e).get("row")).intValue()).distinct().toList());
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM booking WHERE campaign_id = ?", campaign));
        assertEquals(bookedAt, jdbc.queryOne("SELECT requested_at FROM booking WHERE external_id = 'K-1'",
                rs -> Jdbc.instant(rs, "requested_at")).orElseThrow().toString(), "the clinic's booking time, not the import's");

        Api.Response noHeader = api.postCsv("/api/v1/bookings/import", "email,status\r\nx@example.org,BOOKED\r\n", coordinator);
        assertEquals(400, noHeader.status());
        assertTrue(noHeader.contentType().startsWith("application/problem+json"));
    }

    private String email(long contact) {
        return jdbc.queryOne("SELECT email FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }

    private String status(String token) {
        return jdbc.queryOne("SELECT status FROM message WHERE id = ?", rs -> rs.getString(1), tokenIds.get(token)).orElseThrow();
    }

    private String consent(long contact) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }

    private boolean suppressed(long contact) {
        return fixture.count("SELECT COUNT(*) FROM suppression WHERE channel = 'EMAIL' AND address_hash = ?",
                ContactStore.hash(email(contact))) == 1;
    }
}
