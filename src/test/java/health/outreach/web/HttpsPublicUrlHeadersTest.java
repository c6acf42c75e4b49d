package health.outreach.web;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A service published on https tells browsers to use nothing else for a year, its subdomains included. */
@MicronautTest(transactional = false)
@Property(name = "outreach.public-url", value = "https://outreach.example.org")
class HttpsPublicUrlHeadersTest {

    private static final String HSTS = "max-age=31536000; includeSubDomains";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Test
    void everyResponseCarriesStrictTransportSecurity() {
        Api api = new Api(client);
        assertEquals(HSTS, api.get("/health", null).header("Strict-Transport-Security"));
        assertEquals(HSTS, api.get("/login", null).header("Strict-Transport-Security"));
        assertEquals(HSTS, api.get("/api/v1/contacts", null).header("Strict-Transport-Security"), "a 401 too");
        Api.Response contacts = api.get("/api/v1/contacts", users.token(api, Role.MANAGER));
        assertEquals(200, contacts.status());
        assertEquals(HSTS, contacts.header("Strict-Transport-Security"));
        assertEquals(HSTS, api.get("/no-such-page", null).header("Strict-Transport-Security"));
    }
}
