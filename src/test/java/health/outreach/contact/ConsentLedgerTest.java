package health.outreach.contact;

import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ConsentLedgerTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Jdbc jdbc;

    private Map<String, Object> consent(String channel, String action, String evidence) {
        return evidence == null
                ? Map.of("channel", channel, "action", action, "source", "clinic intake form", "wording", "I agree to texts")
                : Map.of("channel", channel, "action", action, "source", "phone call", "wording", "I agree to texts",
                "evidence", evidence);
    }

    @Test
    void entriesAppendAndTheCurrentStateFollowsThem() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number id = (Number) api.post("/api/v1/contacts", Map.of("phone", "+12125550101"), token).json().get("id");
        String path = "/api/v1/contacts/" + id + "/consents";

        assertEquals(201, api.post(path, consent("SMS", "OPT_IN", null), token).status());
        assertEquals("OPTED_IN", ((Map<?, ?>) api.get("/api/v1/contacts/" + id, token).json().get("consent")).get("SMS"));
        assertEquals(201, api.post(path, consent("SMS", "OPT_OUT", null), token).status());
        assertEquals("OPTED_OUT", ((Map<?, ?>) api.get("/api/v1/contacts/" + id, token).json().get("consent")).get("SMS"));

        Api.Response reopenWithoutEvidence = api.post(path, consent("SMS", "OPT_IN", null), token);
        assertEquals(422, reopenWithoutEvidence.status(), reopenWithoutEvidence.body());
        assertEquals(201, api.post(path, consent("SMS", "OPT_IN", "called on 2026-11-20, asked to resume texts"), token).status());

        List<Object> history = api.get(path, token).jsonList();
        assertEquals(3, history.size());
        assertEquals(List.of("OPT_IN", "OPT_OUT", "OPT_IN"), history.stream().map(e -> ((Map<?, ?>) e).get("action")).toList());
        assertEquals("test-coordinator", ((Map<?, ?>) history.get(0)).get("actor"));
        assertEquals("I agree to texts", ((Map<?, ?>) history.get(0)).get("wording"));
        assertEquals(3L, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'consent.%' AND entity_id = ?", id.toString()));
    }

    @Test
    void theLedgerCannotBeEditedOrDeletedThroughTheApi() {
        Api api = new Api(client);
        String token = users.token(api, Role.ADMIN);
        Number id = (Number) api.post("/api/v1/contacts", Map.of("email", "ledger@example.org"), token).json().get("id");
        String path = "/api/v1/contacts/" + id + "/consents";
        api.post(path, consent("EMAIL", "OPT_IN", null), token);
        assertEquals(405, api.send(HttpRequest.PUT(path, "{}").contentType("application/json").bearerAuth(token)).status());
        assertEquals(405, api.send(HttpRequest.DELETE(path).bearerAuth(token)).status());
        assertEquals(405, api.send(HttpRequest.PATCH(path, "{}").contentType("application/json").bearerAuth(token)).status());
        assertEquals(1, api.get(path, token).jsonList().size());
    }

    @Test
    void consentNeedsTheChannelsAddressAndValidInput() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number id = (Number) api.post("/api/v1/contacts", Map.of("email", "noPhone@example.org"), token).json().get("id");
        String path = "/api/v1/contacts/" + id + "/consents";
        assertEquals(422, api.post(path, consent("SMS", "OPT_IN", null), token).status());
        Api.Response bad = api.post(path, Map.of("channel", "FAX", "action", "OPT_IN"), token);
        assertEquals(400, bad.status(), bad.body());
        Api.Response missing = api.post(path, Map.of("channel", "EMAIL", "action", "OPT_IN"), token);
        assertEquals(400, missing.status(), missing.body());
        assertTrue(missing.body().contains("source"), missing.body());
        assertEquals(0, api.get(path, token).jsonList().size());
    }
}
