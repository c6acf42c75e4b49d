package health.outreach.ops;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code outreach.expose-operations: true} (a scraper on a private network) metrics and the API
 * documentation answer anyone; nothing else opens with them.
 */
@MicronautTest(transactional = false)
@Property(name = "outreach.expose-operations", value = "true")
class ExposedOperationsTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Test
    void metricsAndTheApiDocumentationAnswerAScraperWithoutSigningIn() {
        Api api = new Api(client);
        for (String path : OpsEndpointsTest.OPERATIONS) {
            assertEquals(200, api.get(path, null).status(), path);
        }
        assertTrue(api.get("/prometheus", null).body().contains("jvm_memory_used_bytes"));
        Api.Response ui = api.get("/swagger-ui", null);
        assertEquals("DENY", ui.header("X-Frame-Options"), "the documentation keeps its framing rules when public");
        assertTrue(ui.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
    }

    @Test
    void theRestStaysAsItWas() {
        Api api = new Api(client);
        Api.Response health = api.get("/health", null);
        assertEquals(200, health.status());
        assertNull(health.json().get("details"), "strangers still see no internals");
        assertEquals(401, api.get("/api/v1/contacts", null).status());
        String admin = users.token(api, Role.ADMIN);
        for (String path : List.of("/beans", "/env", "/loggers", "/routes")) {
            int status = api.get(path, admin).status();
            assertTrue(status == 401 || status == 403 || status == 404, path + ": " + status);
            int anonymous = api.get(path, null).status();
            assertTrue(anonymous == 401 || anonymous == 404, path + " anonymous: " + anonymous);
        }
    }
}
