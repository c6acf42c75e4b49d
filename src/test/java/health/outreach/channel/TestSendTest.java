package health.outreach.channel;

import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A coordinator sends a template to their own address with a real contact's data: it arrives (in the
 * capture mailbox) marked as a test, with no message in the outbox, nothing counted, no real link,
 * and an audit entry; a bad address is refused at the field; the hourly budget holds.
 */
@MicronautTest(transactional = false)
class TestSendTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Jdbc jdbc;

    @Test
    void aTestSendArrivesMarkedAndLeavesNoTraceInTheOutboxOrTheCounters() {
        long template = fixture.emailTemplate();
        long contact = fixture.contact("TESTSEND", "real-person@example.org", null, "America/Chicago", ConsentState.OPTED_IN,
                ConsentState.NONE);
        long messages = jdbc.queryLong("SELECT COUNT(*) FROM message");
        long events = jdbc.queryLong("SELECT COUNT(*) FROM event");
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);

        Api.Response sent = api.post("/api/v1/templates/" + template + "/test-send",
                Map.of("to", "Coordinator@Example.org", "contactId", contact), token);
        assertEquals(202, sent.status(), sent.body());
        assertEquals("coordinator@example.org", sent.json().get("to"));

        Map<String, Object> captured = jdbc.queryOne("SELECT subject, html_body, headers FROM captured_message "
                        + "WHERE recipient = 'coordinator@example.org' ORDER BY id DESC LIMIT 1",
                rs -> Map.<String, Object>of("subject", rs.getString(1), "html", rs.getString(2), "headers", rs.getString(3)))
                .orElseThrow();
        assertTrue(((String) captured.get("subject")).startsWith("[Test] "), captured.toString());
        assertFalse(((String) captured.get("html")).contains("real-person@example.org"));
        assertTrue(((String) captured.get("headers")).contains("/u/preview"), "an unsubscribe link that unsubscribes nobody");
        assertEquals(messages, jdbc.queryLong("SELECT COUNT(*) FROM message"), "no message in the outbox");
        assertEquals(events, jdbc.queryLong("SELECT COUNT(*) FROM event"), "nothing counted");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'template.test-send' AND entity_id = ?",
                String.valueOf(template)));

        Api.Response bad = api.post("/api/v1/templates/" + template + "/test-send", Map.of("to", "not an address"), token);
        assertEquals(422, bad.status());
        assertTrue(bad.body().contains("\"field\":\"to\""), bad.body());

        PageSession page = users.page(client, Role.COORDINATOR);
        page.get("/admin/templates/" + template + "/preview");
        Api.Response refused = page.post("/admin/templates/" + template + "/test-send", Map.of("to", "nope"));
        assertEquals(303, refused.status());
        Api.Response shown = page.get(refused.header("Location"));
        assertTrue(shown.body().contains("id=\"to-error\""), "the reason at the field");
        assertTrue(shown.body().contains("value=\"nope\""), "the address as typed");

        int accepted = 1;
        for (int i = 0; i < TestSends.PER_HOUR; i++) {
            if (api.post("/api/v1/templates/" + template + "/test-send", Map.of("to", "budget@example.org"), token).status() == 202) {
                accepted++;
            }
        }
        assertEquals(TestSends.PER_HOUR, accepted, "the hourly budget of one coordinator");
    }
}
