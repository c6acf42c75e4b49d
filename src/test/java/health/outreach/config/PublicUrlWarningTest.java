package health.outreach.config;

import health.outreach.security.Role;
import health.outreach.support.TestUsers;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node whose public URL is plain http on a real host name says so on the dashboard. */
@MicronautTest(transactional = false)
@Property(name = "outreach.public-url", value = "http://outreach.example.org")
class PublicUrlWarningTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Test
    void theDashboardWarnsOfAnHttpPublicUrl() {
        String body = users.page(client, Role.MANAGER).get("/admin").body();
        assertTrue(body.contains("<p class=\"warning\" role=\"alert\">The public URL http://outreach.example.org is not https"), body);
    }
}
