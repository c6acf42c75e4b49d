package health.outreach.ops;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class OpsEndpointsTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Test
    @SuppressWarnings("unchecked")
    void healthReportsTheDatabaseAndTheSchedulerToSignedInUsersOnly() {
        Api api = new Api(client);
        Api.Response anonymous = api.get("/health", null);
        assertEquals(200, anonymous.status(), anonymous.body());
        assertEquals("UP", anonymous.json().get("status"));
        assertEquals(null, anonymous.json().get("details"), "probes see the status, strangers see no internals");
        Api.Response health = api.get("/health", users.token(api, Role.MANAGER));
        assertEquals(200, health.status(), health.body());
        Map<String, Object> details = (Map<String, Object>) health.json().get("details");
        assertEquals("UP", ((Map<String, Object>) details.get("jdbc")).get("status"));
        Map<String, Object> scheduler = (Map<String, Object>) details.get("scheduler");
        assertEquals("UP", scheduler.get("status"));
        assertEquals(Boolean.TRUE, ((Map<String, Object>) scheduler.get("details")).get("clustered"));
        Map<String, Object> dispatch = (Map<String, Object>) ((Map<String, Object>) details.get("dispatch")).get("details");
        assertEquals("closed", dispatch.get("email"), "the email relay is usable from this node");
    }

    @Test
    void prometheusAndTheApiDocumentationArePublic() {
        Api api = new Api(client);
        Api.Response metrics = api.get("/prometheus", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics are exported");
        assertEquals(200, api.get("/swagger-ui", null).status());
        Api.Response spec = api.get("/swagger/outreach-0.1.yml", null);
        assertEquals(200, spec.status());
        assertTrue(spec.body().contains("/api/v1/contacts/import"), "the spec documents the API");
    }
}
