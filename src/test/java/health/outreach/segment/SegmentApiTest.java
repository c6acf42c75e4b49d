package health.outreach.segment;

import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest(transactional = false)
class SegmentApiTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Jdbc jdbc;

    private static Map<String, Object> rule(Map<String, Object>... conditions) {
        return Map.of("match", "ALL", "conditions", List.of(conditions));
    }

    @Test
    @SuppressWarnings("unchecked")
    void countsMembersAndShrugsOffInjectionThroughValues() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        String csv = "email,locale,consent_sms,phone,attr.age_band\n"
                + "a1@example.org,es-MX,yes,+12105550101,45-64\n"
                + "a2@example.org,es,yes,+12105550102,65+\n"
                + "a3@example.org,en-US,yes,+12105550103,45-64\n"
                + "a4@example.org,es-US,no,+12105550104,18-44\n";
        Api.Response accepted = api.postCsv("/api/v1/contacts/import", csv, token);
        assertEquals(202, accepted.status(), accepted.body());
        await("the import finished").atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.queryLong("SELECT COUNT(*) FROM import_job WHERE status = 'RUNNING'") == 0);
        assertEquals(4, jdbc.queryLong("SELECT COUNT(*) FROM contact WHERE email LIKE 'a_@example.org'"), "the import wrote its rows");

        Api.Response created = api.post("/api/v1/segments", Map.of("name", "Spanish SMS",
                "rule", rule(Map.of("field", "language", "op", "eq", "value", "es"),
                        Map.of("field", "consent.sms", "op", "eq", "value", "OPTED_IN"))), token);
        assertEquals(201, created.status(), created.body());
        Number id = (Number) created.json().get("id");
        assertEquals(2, ((Number) api.get("/api/v1/segments/" + id + "/count", token).json().get("count")).intValue());

        Api.Response evil = api.post("/api/v1/segments", Map.of("name", "Evil",
                "rule", rule(Map.of("field", "attr.age_band", "op", "in",
                        "value", List.of("45-64' OR '1'='1", "x'); DROP TABLE contact; --")))), token);
        assertEquals(201, evil.status(), evil.body());
        Number evilId = (Number) evil.json().get("id");
        assertEquals(0, ((Number) api.get("/api/v1/segments/" + evilId + "/count", token).json().get("count")).intValue());
        assertEquals(4L, jdbc.queryLong("SELECT COUNT(*) FROM contact"), "the contact table is still there and whole");

        Api.Response badField = api.post("/api/v1/segments", Map.of("name", "Bad",
                "rule", rule(Map.of("field", "1=1) OR (1", "op", "eq", "value", "x"))), token);
        assertEquals(422, badField.status());
        List<Map<String, Object>> errors = (List<Map<String, Object>>) badField.json().get("errors");
        assertEquals("rule.conditions[0].field", errors.get(0).get("field"));
    }

    @Test
    void namesAreUniqueAndSegmentsCanBeRenamedAndDeleted() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Map<String, Object> body = Map.of("name", "Everyone with email", "rule",
                rule(Map.of("field", "email", "op", "isSet")));
        Number id = (Number) api.post("/api/v1/segments", body, token).json().get("id");
        assertEquals(409, api.post("/api/v1/segments", body, token).status());
        assertEquals(200, api.put("/api/v1/segments/" + id, Map.of("name", "Everyone reachable by email", "rule",
                rule(Map.of("field", "consent.email", "op", "eq", "value", "OPTED_IN"))), token).status());
        assertEquals("Everyone reachable by email", api.get("/api/v1/segments/" + id, token).json().get("name"));
        assertEquals(204, api.delete("/api/v1/segments/" + id, token).status());
        assertEquals(404, api.get("/api/v1/segments/" + id, token).status());
    }
}
