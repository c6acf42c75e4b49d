package health.outreach.web;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Headers on every kind of response, with the test configuration's plain-http (loopback) public URL:
 * nosniff everywhere, no-store wherever personal data or a token travels, and no HSTS (a browser would
 * ignore it on http, and the same host may serve other things on http).
 */
@MicronautTest(transactional = false)
class ResponseHeadersTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Test
    void apiJsonWithPersonalDataIsNeitherSniffedNorStored() {
        Api api = new Api(client);
        String coordinator = users.token(api, Role.COORDINATOR);
        Api.Response created = api.post("/api/v1/contacts", Map.of("email", "headers.person@example.org", "firstName", "Robin"),
                coordinator);
        assertEquals(201, created.status(), created.body());
        Api.Response contacts = api.get("/api/v1/contacts", coordinator);
        assertEquals(200, contacts.status());
        assertEquals("nosniff", contacts.header("X-Content-Type-Options"));
        assertEquals("no-store", contacts.header("Cache-Control"));
        assertEquals("no-store", created.header("Cache-Control"));

        Api.Response refused = api.get("/api/v1/contacts", null);
        assertEquals(401, refused.status());
        assertEquals("nosniff", refused.header("X-Content-Type-Options"));
        assertEquals("no-store", refused.header("Cache-Control"));
        assertNull(contacts.header("Strict-Transport-Security"), "the public URL is plain http");
    }

    @Test
    void theSignInAnswerCarryingATokenIsNotStored() {
        Api.Response login = new Api(client).post("/login", Map.of("username", "admin", "password", "admin-test-password"), null);
        assertEquals(200, login.status());
        assertEquals("no-store", login.header("Cache-Control"));
        assertEquals("nosniff", login.header("X-Content-Type-Options"));
    }

    @Test
    void adminPagesAndAnythingAnsweredToASignedInUserAreNotStored() {
        PageSession coordinator = users.page(client, Role.COORDINATOR);
        Api.Response page = coordinator.get("/admin/contacts");
        assertEquals(200, page.status());
        assertEquals("no-store", page.header("Cache-Control"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));

        Api.Response health = new Api(client).get("/health", users.token(new Api(client), Role.MANAGER));
        assertEquals(200, health.status());
        assertEquals("no-store", health.header("Cache-Control"), "details for a signed-in user");
        assertEquals("nosniff", health.header("X-Content-Type-Options"));
    }

    @Test
    void everyOtherResponseIsNotSniffedEither() {
        Api api = new Api(client);
        assertEquals("nosniff", api.get("/health", null).header("X-Content-Type-Options"));
        Api.Response missing = api.get("/no-such-page", null);
        assertEquals(404, missing.status());
        assertEquals("nosniff", missing.header("X-Content-Type-Options"));
        Api.Response redirect = api.get("/", null);
        assertEquals("nosniff", redirect.header("X-Content-Type-Options"));
        Api.Response badJson = api.send(HttpRequest.POST("/login", "{").contentType(MediaType.APPLICATION_JSON));
        assertEquals(400, badJson.status());
        assertEquals("nosniff", badJson.header("X-Content-Type-Options"));
    }
}
