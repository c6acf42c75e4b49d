package health.outreach.webhook;

import health.outreach.booking.BookingIntake;
import health.outreach.booking.BookingService;
import health.outreach.campaign.CampaignSweep;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.contact.ContactService;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.MutableClock;
import health.outreach.support.TestUsers;
import health.outreach.support.WebhookReceiver;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where each feature announces: a campaign's launch and completion, a booking's creation,
 * attribution and status change, an erasure; the sequence counts one contact's events in order.
 */
@MicronautTest(transactional = false)
class EventCatalogueTest {

    @Inject
    DeliveryFixture fixture;
    @Inject
    Dispatcher messages;
    @Inject
    WebhookDispatcher webhooks;
    @Inject
    CampaignSweep sweep;
    @Inject
    BookingService bookings;
    @Inject
    ContactService contacts;
    @Inject
    Jdbc jdbc;
    @Inject
    MutableClock clock;
    @Inject
    TestUsers users;
    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void eachFeatureAnnouncesItsEventsInOrder() throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Api api = new Api(client);
            var endpoint = WebhookTestSupport.register(api, users.token(api, Role.ADMIN), receiver.url("/all"),
                    WebhookEndpoints.names().toArray(String[]::new));
            fixture.daytime();
            long contact = fixture.contact("catalogue", "catalogue@example.org", null, "America/New_York", ConsentState.OPTED_IN,
                    ConsentState.NONE);
            jdbc.update("UPDATE contact SET external_id = 'EHR-77' WHERE id = ?", contact);
            long campaign = fixture.launch(fixture.segment("catalogue"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
            fixture.drain(messages);
            sweep.sweep();
            long message = jdbc.queryLong("SELECT id FROM message WHERE campaign_id = ?", campaign);

            bookings.request(new BookingIntake(null, "PAGE", null, "REQUESTED", null, null, null, fixture.token(message), null, null,
                    clock.instant()));
            long clinic = jdbc.insert("INSERT INTO clinic (code, name, time_zone, created_at) VALUES ('cat', 'Catalogue', 'UTC', ?)",
                    clock.instant());
            bookings.request(new BookingIntake(clinic, "WEBHOOK", "B-1", "BOOKED", null, null, null, null, "catalogue@example.org", null,
                    clock.instant()));
            bookings.request(new BookingIntake(clinic, "WEBHOOK", "B-1", "ATTENDED", null, null, null, null, "catalogue@example.org",
                    null, clock.instant()));
            contacts.erase(contact);

            List<String> perContact = jdbc.query("SELECT event_type FROM webhook_event WHERE order_key = ? ORDER BY sequence",
                    rs -> rs.getString(1), "contact:" + contact);
            // The clinic's booking is credited too (by the message sent), then moves BOOKED -> ATTENDED.
            assertEquals(List.of("booking.created", "booking.attributed", "booking.created", "booking.attributed",
                    "booking.status_changed", "contact.erased"), perContact);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), jdbc.query("SELECT sequence FROM webhook_event WHERE order_key = ? ORDER BY id",
                    rs -> rs.getLong(1), "contact:" + contact));
            assertEquals(List.of("campaign.started", "campaign.completed"), jdbc.query("SELECT event_type FROM webhook_event "
                    + "WHERE order_key = ? ORDER BY sequence", rs -> rs.getString(1), "campaign:" + campaign));

            while (webhooks.deliverDue() > 0) {
                // until every event went out
            }
            List<WebhookReceiver.Received> got = receiver.at("/all");
            assertEquals(8, got.size());
            got.forEach(r -> assertEquals(1, WebhookReceiver.validSignatures(r, endpoint.secret()).size()));
            Map<String, Object> changed = body(got, "booking.status_changed");
            assertEquals("BOOKED", ((Map<?, ?>) changed.get("data")).get("from"));
            assertEquals("ATTENDED", ((Map<?, ?>) changed.get("data")).get("to"));
            Map<?, ?> attributed = (Map<?, ?>) body(got, "booking.attributed").get("data");
            assertEquals(campaign, ((Number) attributed.get("campaignId")).longValue());
            assertEquals(message, ((Number) attributed.get("messageId")).longValue());
            Map<?, ?> erased = (Map<?, ?>) body(got, "contact.erased").get("data");
            assertEquals("EHR-77", erased.get("externalId"), "the receiver can find its copy to erase");
            assertTrue(got.stream().noneMatch(r -> r.body().contains("catalogue@example.org")), "no address in any payload");
        }
    }

    @Test
    void aContactImportAnnouncesTheConsentChangesItMakesOnce() throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Api api = new Api(client);
            WebhookTestSupport.register(api, users.token(api, Role.ADMIN), receiver.url("/import"), "contact.opted_out",
                    "contact.opted_in");
            long kept = fixture.contact("importann", "import-out@example.org", null, "America/New_York", ConsentState.OPTED_IN,
                    ConsentState.NONE);
            String token = users.token(api, Role.COORDINATOR);
            String csv = "email,consent_email\nimport-out@example.org,OPTED_OUT\nimport-new@example.org,yes\n";
            importAndWait(api, token, csv);
            long added = jdbc.queryLong("SELECT id FROM contact WHERE email = 'import-new@example.org'");
            assertEquals(List.of("contact.opted_out"), jdbc.query("SELECT event_type FROM webhook_event WHERE order_key = ?",
                    rs -> rs.getString(1), "contact:" + kept), "the import's opt-out is announced");
            assertEquals(List.of("contact.opted_in"), jdbc.query("SELECT event_type FROM webhook_event WHERE order_key = ?",
                    rs -> rs.getString(1), "contact:" + added), "and its opt-in");
            importAndWait(api, token, csv);
            assertEquals(2, jdbc.queryLong("SELECT COUNT(*) FROM webhook_event WHERE order_key IN (?, ?)", "contact:" + kept,
                    "contact:" + added), "the same file again changes nothing and announces nothing");
        }
    }

    private void importAndWait(Api api, String token, String csv) {
        Object id = api.postCsv("/api/v1/contacts/import", csv, token).json().get("id");
        Map<String, Object> report = org.awaitility.Awaitility.await("import " + id).atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> api.get("/api/v1/imports/" + id, token).json(), r -> !"RUNNING".equals(r.get("status")));
        assertEquals("DONE", report.get("status"), report.toString());
        assertEquals(0L, ((Number) report.get("rejected")).longValue(), report.toString());
    }

    private static Map<String, Object> body(List<WebhookReceiver.Received> got, String type) {
        return got.stream().map(r -> Api.JsonBodies.map(r.body())).filter(b -> type.equals(b.get("type"))).findFirst().orElseThrow();
    }
}
