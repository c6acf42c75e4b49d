package health.outreach.campaign;

import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
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
class CampaignApiTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    CampaignLauncher launcher;

    @Inject
    Jdbc jdbc;

    @Test
    @SuppressWarnings("unchecked")
    void invalidCampaignsListEveryProblem() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        long sms = fixture.smsTemplate("Hi from ${program.name}");
        Map<String, Object> body = Map.of("name", "Bad", "segmentId", 987654, "enrollment", "RECURRING",
                "steps", List.of(
                        Map.of("channel", "EMAIL", "templateId", sms),
                        Map.of("channel", "SMS", "templateId", 424242),
                        Map.of("channel", "SMS", "templateId", sms, "afterEnrollment", "three days"),
                        Map.of("channel", "SMS", "templateId", sms, "afterEnrollment", "P1D", "at", "2026-12-01T10:00:00Z"),
                        Map.of("channel", "SMS", "templateId", sms, "relativeTo", Map.of("attribute", "nope", "offset", "-P7D"))));
        Api.Response r = api.post("/api/v1/campaigns", body, token);
        assertEquals(422, r.status(), r.body());
        List<Object> fields = ((List<Map<String, Object>>) r.json().get("errors")).stream().map(e -> e.get("field")).toList();
        assertEquals(List.of("segmentId", "cron", "steps[0].channel", "steps[1].templateId", "steps[2].afterEnrollment",
                "steps[3]", "steps[4].relativeTo.attribute"), fields);
        assertEquals(400, api.post("/api/v1/campaigns", Map.of("name", "x", "segmentId", 1, "holdoutPercent", 90,
                "steps", List.of()), token).status(), "bean validation: holdout at most 50%");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStateMachineRefusesIllegalMovesAndCancelStopsEverythingUnsent() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        String tag = "API01";
        fixture.contacts(tag, 3, "America/Chicago");
        long segment = fixture.segment(tag);
        long email = fixture.emailTemplate();
        Map<String, Object> form = Map.of("name", "Lifecycle", "segmentId", segment, "steps",
                List.of(Map.of("channel", "EMAIL", "templateId", email, "afterEnrollment", "P2D")));
        Api.Response created = api.post("/api/v1/campaigns", form, token);
        assertEquals(201, created.status(), created.body());
        long id = ((Number) created.json().get("id")).longValue();
        assertEquals("DRAFT", created.json().get("status"));

        assertEquals(409, api.post("/api/v1/campaigns/" + id + "/pause", "", token).status());
        assertEquals(409, api.post("/api/v1/campaigns/" + id + "/resume", "", token).status());
        assertEquals(200, api.put("/api/v1/campaigns/" + id, form, token).status(), "a draft can be edited");
        assertEquals("SCHEDULED", api.post("/api/v1/campaigns/" + id + "/schedule", "", token).json().get("status"));
        assertEquals(409, api.put("/api/v1/campaigns/" + id, form, token).status(), "only drafts are edited");
        assertEquals(409, api.delete("/api/v1/campaigns/" + id, token).status(), "only drafts are deleted");
        assertEquals(409, api.delete("/api/v1/segments/" + segment, token).status(), "a segment in use stays");

        launcher.launch(id);
        Map<String, Object> running = api.get("/api/v1/campaigns/" + id, token).json();
        assertEquals("RUNNING", running.get("status"));
        assertEquals(Map.of("PENDING", 3), ((Map<String, Object>) running.get("progress")).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> ((Number) e.getValue()).intValue())));
        assertEquals(409, api.post("/api/v1/campaigns/" + id + "/schedule", "", token).status());
        assertEquals("PAUSED", api.post("/api/v1/campaigns/" + id + "/pause", "", token).json().get("status"));
        assertEquals("RUNNING", api.post("/api/v1/campaigns/" + id + "/resume", "", token).json().get("status"));
        Map<String, Object> cancelled = api.post("/api/v1/campaigns/" + id + "/cancel", "", token).json();
        assertEquals("CANCELLED", cancelled.get("status"));
        assertEquals(3, ((Number) ((Map<String, Object>) cancelled.get("progress")).get("CANCELLED")).intValue());
        assertEquals(409, api.post("/api/v1/campaigns/" + id + "/resume", "", token).status());
        Api.Response problem = api.post("/api/v1/campaigns/" + id + "/cancel", "", token);
        assertEquals("application/problem+json", problem.contentType());
        assertTrue(((String) problem.json().get("detail")).contains("CANCELLED"));
        assertEquals(3, api.get("/api/v1/campaigns/" + id + "/messages?status=cancelled", token).jsonList().size());
    }
}
