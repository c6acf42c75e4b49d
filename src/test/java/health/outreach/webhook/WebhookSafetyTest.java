package health.outreach.webhook;

import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.MutableClock;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import health.outreach.support.WebhookReceiver;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the production defaults (no private addresses, https only): registration refuses inside
 * destinations at the URL field, and the send-time check refuses a name that points inside by then.
 * Also who may manage endpoints, and the secret shown once.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSafetyTest implements TestPropertyProvider {

    @Inject
    Jdbc jdbc;
    @Inject
    TestUsers users;
    @Inject
    DeliveryFixture fixture;
    @Inject
    ConsentLedger ledger;
    @Inject
    MutableClock clock;
    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.webhooks.allow-private-addresses", "false");
    }

    private Api api() {
        return new Api(client);
    }

    @Test
    void registrationRefusesInsideAddressesAtTheUrlField() {
        String admin = users.token(api(), Role.ADMIN);
        for (String url : List.of("https://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost:8080/hook",
                "https://127.0.0.1/hook", "https://[::1]/hook", "https://192.168.1.20/hook", "http://hooks.example.org/hook")) {
            Api.Response r = api().post("/api/v1/webhook-endpoints", Map.of("url", url, "eventTypes", List.of("contact.opted_out")), admin);
            assertEquals(422, r.status(), url + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            assertTrue(r.body().contains("\"field\":\"url\""), r.body());
        }
        assertEquals(0L, jdbc.queryLong("SELECT COUNT(*) FROM webhook_endpoint WHERE url LIKE '%/hook'"));

        PageSession page = PageSession.signedIn(client, "admin", "admin-test-password");
        page.get("/admin/webhooks/new");
        Api.Response form = page.post("/admin/webhooks", Map.of("url", "http://169.254.169.254/latest/meta-data/",
                "eventTypes", "contact.opted_out", "enabled", "yes"));
        assertEquals(422, form.status());
        assertTrue(form.body().contains("<p class=\"field-error\" id=\"url-error\">169.254.169.254 is a link-local address"), form.body());
        assertTrue(form.body().contains("aria-invalid=\"true\""));
    }

    @Test
    void aNameThatPointsInsideAtSendTimeIsNotCalled() throws IOException {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // As if the name had resolved to a public address when it was registered (DNS rebinding).
            String url = receiver.url("/inside").replace("127.0.0.1", "localhost");
            long endpoint = jdbc.insert("INSERT INTO webhook_endpoint (url, enabled, secret, created_at, updated_at) VALUES (?, TRUE, ?, ?, ?)",
                    url, "whsec_dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQ=", clock.instant(), clock.instant());
            jdbc.update("INSERT INTO webhook_subscription (event_type, endpoint_id) VALUES ('contact.opted_out', ?)", endpoint);
            long contact = fixture.contact("safety", "inside@example.org", null, "UTC", ConsentState.OPTED_IN, ConsentState.NONE);
            WebhookTestSupport.optOut(ledger, contact, clock.instant());

            assertEquals(1, dispatcher.deliverDue());
            assertEquals(List.of(), receiver.at("/inside"));
            String error = jdbc.queryOne("SELECT error FROM webhook_attempt WHERE endpoint_id = ?", rs -> rs.getString(1), endpoint)
                    .orElseThrow();
            assertTrue(error.startsWith("refused: localhost is at 127.0.0.1, a loopback address"), error);
        }
    }

    @Test
    void onlyAdministratorsManageEndpointsAndTheSecretIsShownOnce() {
        for (Role role : List.of(Role.MANAGER, Role.COORDINATOR)) {
            assertEquals(403, api().get("/api/v1/webhook-endpoints", users.token(api(), role)).status(), role.name());
            assertEquals(403, users.page(client, role).get("/admin/webhooks").status(), role.name());
        }
        PageSession page = PageSession.signedIn(client, "admin", "admin-test-password");
        page.get("/admin/webhooks/new");
        Api.Response created = page.post("/admin/webhooks", Map.of("url", "https://hooks.example.org/outreach",
                "description", "CRM", "eventTypes", "booking.created", "enabled", "yes"));
        assertEquals(201, created.status(), created.body());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("value=\"(whsec_[A-Za-z0-9+/=]+)\"").matcher(created.body());
        assertTrue(m.find(), created.body());
        String secret = m.group(1);
        assertEquals(32, java.util.Base64.getDecoder().decode(secret.substring(6)).length);

        long id = jdbc.queryLong("SELECT id FROM webhook_endpoint WHERE url = 'https://hooks.example.org/outreach'");
        Api.Response shown = page.get("/admin/webhooks/" + id);
        assertEquals(200, shown.status());
        assertFalse(shown.body().contains(secret), "the secret is not shown again");
        assertTrue(page.get("/admin/webhooks").body().contains("https://hooks.example.org/outreach"));
        Api.Response viaApi = api().get("/api/v1/webhook-endpoints/" + id, users.token(api(), Role.ADMIN));
        assertEquals(200, viaApi.status());
        assertFalse(viaApi.body().contains(secret), viaApi.body());
        assertEquals(List.of("booking.created"), viaApi.json().get("eventTypes"));
    }
}
