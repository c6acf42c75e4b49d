package health.outreach.contact;

import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ContactApiTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Jdbc jdbc;

    Api api;
    String token;

    @jakarta.annotation.PostConstruct
    void init() {
    }

    private String token() {
        if (token == null) {
            api = new Api(client);
            token = users.token(api, Role.COORDINATOR);
        }
        return token;
    }

    private Api api() {
        token();
        return api;
    }

    @Test
    void createsReadsAndMergesByEmail() {
        Api.Response created = api().post("/api/v1/contacts", Map.of("firstName", "Lucía", "email", "Lucia.M@Example.org",
                "phone", "(210) 555-0111", "locale", "es-US", "timeZone", "America/Chicago",
                "attributes", Map.of("age_band", "45-64", "referral_date", "2026-02-03")), token());
        assertEquals(201, created.status(), created.body());
        Map<String, Object> body = created.json();
        assertEquals("lucia.m@example.org", body.get("email"));
        assertEquals("+12105550111", body.get("phone"));
        assertEquals(Map.of("EMAIL", "NONE", "SMS", "NONE"), body.get("consent"));
        assertEquals(Map.of("age_band", "45-64", "referral_date", "2026-02-03"), body.get("attributes"));
        Number id = (Number) body.get("id");
        assertEquals("/api/v1/contacts/" + id, created.header("Location"));

        Api.Response merged = api().post("/api/v1/contacts", Map.of("email", "lucia.m@example.org", "lastName", "Mora",
                "attributes", Map.of("age_band", "65+")), token());
        assertEquals(200, merged.status(), merged.body());
        assertEquals(id, merged.json().get("id"));
        assertEquals("Lucía", merged.json().get("firstName"));
        assertEquals("Mora", merged.json().get("lastName"));
        assertEquals("es-US", merged.json().get("locale"), "a merge without a locale keeps the old one");
        assertEquals(Map.of("age_band", "65+", "referral_date", "2026-02-03"), merged.json().get("attributes"));

        Api.Response page = api().get("/api/v1/contacts?q=luc&size=10", token());
        assertEquals(200, page.status());
        assertEquals(1, ((Number) page.json().get("totalSize")).intValue());
        assertEquals(1, ((List<?>) page.json().get("content")).size());
    }

    @Test
    void listsEveryInvalidFieldAsProblemJson() {
        Api.Response r = api().post("/api/v1/contacts", Map.of("email", "not-an-email", "phone", "123",
                "timeZone", "Nowhere/City", "locale", "!!", "attributes", Map.of("when", "2026-13-45x")), token());
        assertEquals(422, r.status());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("/problems/validation", r.json().get("type"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) r.json().get("errors");
        List<Object> fields = errors.stream().map(e -> e.get("field")).toList();
        assertTrue(fields.containsAll(List.of("email", "phone", "timeZone", "locale")), fields.toString());
        assertEquals(0L, jdbc.queryLong("SELECT COUNT(*) FROM contact WHERE email IS NULL AND phone IS NULL"));
    }

    @Test
    void conflictingKeysAreRefusedNotGuessed() {
        api().post("/api/v1/contacts", Map.of("email", "one@example.org"), token());
        api().post("/api/v1/contacts", Map.of("phone", "+12125550177"), token());
        Api.Response r = api().post("/api/v1/contacts", Map.of("email", "one@example.org", "phone", "+12125550177"), token());
        assertEquals(409, r.status(), r.body());
    }

    @Test
    void putReplacesAndAnUnknownIdIs404() {
        Number id = (Number) api().post("/api/v1/contacts", Map.of("email", "put@example.org",
                "attributes", Map.of("age_band", "18-44")), token()).json().get("id");
        Api.Response put = api().put("/api/v1/contacts/" + id, Map.of("email", "put@example.org", "firstName", "Pat"), token());
        assertEquals(200, put.status(), put.body());
        assertEquals(Map.of(), put.json().get("attributes"), "PUT replaces the attributes");
        assertEquals(404, api().get("/api/v1/contacts/987654", token()).status());
        assertEquals("application/problem+json", api().get("/api/v1/contacts/987654", token()).contentType());
    }

    @Test
    void consentGivenForAnOldAddressDoesNotCarryOverToANewOneAndTheResetIsAudited() {
        Number id = (Number) api().post("/api/v1/contacts", Map.of("email", "old@example.org"), token()).json().get("id");
        assertEquals(201, api().post("/api/v1/contacts/" + id + "/consents", Map.of("channel", "EMAIL", "action", "OPT_IN",
                "source", "clinic form", "wording", "Email me spine health news"), token()).status());
        Api.Response put = api().put("/api/v1/contacts/" + id, Map.of("email", "new@example.org"), token());
        assertEquals(200, put.status(), put.body());
        assertEquals("NONE", ((Map<?, ?>) put.json().get("consent")).get("EMAIL"));
        assertEquals("the email address was replaced by test-coordinator", jdbc.queryOne("SELECT evidence FROM consent_event "
                + "WHERE contact_id = ? ORDER BY id DESC LIMIT 1", rs -> rs.getString(1), id.longValue()).orElseThrow());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'consent.reset' AND entity_id = ?",
                id.toString()));
    }

    @Test
    void erasureRemovesPersonalDataAndKeepsTheAddressSuppressed() {
        Number id = (Number) api().post("/api/v1/contacts", Map.of("email", "erase.me@example.org", "firstName", "Erin",
                "phone", "+13035550112", "attributes", Map.of("age_band", "18-44")), token()).json().get("id");
        assertEquals(204, api().delete("/api/v1/contacts/" + id, token()).status());

        Map<String, Object> after = api().get("/api/v1/contacts/" + id, token()).json();
        assertEquals(Boolean.TRUE, after.get("erased"));
        assertNull(after.get("email"));
        assertNull(after.get("firstName"));
        assertNull(after.get("phone"));
        assertEquals(Map.of(), after.get("attributes"));
        assertEquals(2L, jdbc.queryLong("SELECT COUNT(*) FROM suppression WHERE address_hash IN (?, ?)",
                ContactStore.hash("erase.me@example.org"), ContactStore.hash("+13035550112")));
        assertEquals(0L, jdbc.queryLong("SELECT COUNT(*) FROM contact WHERE email = 'erase.me@example.org'"));
        assertEquals(404, api().delete("/api/v1/contacts/" + id, token()).status(), "already erased");
        assertEquals(1L, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.erase' AND entity_id = ?",
                id.toString()));
    }

    @Test
    void malformedJsonIsAProblemDocument() {
        Api.Response r = api().send(io.micronaut.http.HttpRequest.POST("/api/v1/contacts", "{\"email\": ")
                .contentType("application/json").bearerAuth(token()));
        assertEquals(400, r.status());
        assertEquals("application/problem+json", r.contentType());
    }
}
