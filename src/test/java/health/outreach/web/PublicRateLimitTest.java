package health.outreach.web;

import health.outreach.support.Api;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The public pages' per-address limit: past it, 429 with Retry-After; the redirect budget is separate. */
@MicronautTest(transactional = false)
@Property(name = "outreach.tracking.public-per-minute", value = "3")
class PublicRateLimitTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void aFourthPageRequestInAMinuteIsRefusedWhileRedirectsStillAnswer() {
        Api api = new Api(client);
        for (int i = 0; i < 3; i++) {
            assertNotEquals(429, api.send(HttpRequest.GET("/u/no-such-token-" + i)).status(), "within the limit");
        }
        Api.Response refused = api.send(HttpRequest.GET("/p/no-such-token"));
        assertEquals(429, refused.status(), refused.body());
        assertEquals("60", refused.header("Retry-After"));
        assertNotEquals(429, api.send(HttpRequest.GET("/r/no-such-token")).status(), "redirects have their own budget");
    }
}
