package health.outreach.ops;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operational surface as shipped: /health for probes, metrics and the API documentation for a
 * signed-in administrator only, every other management endpoint closed.
 */
@MicronautTest(transactional = false)
class OpsEndpointsTest {

    static final List<String> OPERATIONS = List.of("/prometheus", "/metrics", "/metrics/jvm.memory.used", "/swagger-ui",
            "/swagger-ui/", "/swagger-ui/index.html", "/swagger-ui/res/swagger-ui-bundle.js", "/swagger/outreach-0.1.yml");

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
    void metricsAndTheApiDocumentationAnswerOnlyASignedInAdministrator() {
        Api api = new Api(client);
        String manager = users.token(api, Role.MANAGER);
        String coordinator = users.token(api, Role.COORDINATOR);
        for (String path : OPERATIONS) {
            assertEquals(401, api.get(path, null).status(), path + " anonymous");
            assertEquals(403, api.get(path, manager).status(), path + " as a manager");
            assertEquals(403, api.get(path, coordinator).status(), path + " as a coordinator");
        }
        String admin = users.token(api, Role.ADMIN);
        Api.Response metrics = api.get("/prometheus", admin);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics are exported");
        assertEquals(200, api.get("/metrics", admin).status());
        assertEquals(200, api.get("/swagger-ui", admin).status());
        assertEquals(200, api.get("/swagger-ui/res/swagger-ui-bundle.js", admin).status());
        Api.Response spec = api.get("/swagger/outreach-0.1.yml", admin);
        assertEquals(200, spec.status());
        assertTrue(spec.body().contains("/api/v1/contacts/import"), "the spec documents the API");
    }

    @Test
    void anAdministratorOpensTheApiDocumentationInTheBrowserWithThePagesFramingRules() {
        PageSession admin = PageSession.signedIn(client, "admin", "admin-test-password");
        Api.Response ui = admin.get("/swagger-ui");
        assertEquals(200, ui.status());
        String csp = ui.header("Content-Security-Policy");
        assertTrue(csp != null && csp.startsWith("default-src 'none';"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'") && csp.contains("form-action 'self'"), csp);
        assertEquals("DENY", ui.header("X-Frame-Options"));
        assertEquals("nosniff", ui.header("X-Content-Type-Options"));
        assertEquals("same-origin", ui.header("Referrer-Policy"));
        Matcher inline = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(ui.body());
        assertTrue(inline.find(), "the page starts Swagger UI from one inline script");
        assertTrue(csp.contains("script-src 'self' 'sha256-" + sha256(inline.group(1)) + "'"),
                "that script, and no other inline one, may run: " + csp);
        assertFalse(csp.contains("unsafe-eval") || csp.contains("script-src 'self' 'unsafe-inline'"), csp);
        Api.Response spec = admin.get("/swagger/outreach-0.1.yml");
        assertEquals(200, spec.status());
        assertEquals("DENY", spec.header("X-Frame-Options"));
    }

    @Test
    void noOtherManagementEndpointAnswersAnyone() {
        Api api = new Api(client);
        String admin = users.token(api, Role.ADMIN);
        for (String path : List.of("/beans", "/env", "/loggers", "/routes", "/threaddump", "/info", "/refresh", "/stop")) {
            for (String token : java.util.Arrays.asList(null, admin)) {
                boolean write = path.equals("/refresh") || path.equals("/stop");
                int status = (write ? api.post(path, Map.of(), token) : api.get(path, token)).status();
                assertTrue(status == 401 || status == 403 || status == 404, path + (token == null ? " anonymous" : " as admin") + ": " + status);
            }
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
