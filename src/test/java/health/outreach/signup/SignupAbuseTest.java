package health.outreach.signup;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public form against bots and bad input: honeypot, rate limit, hostile fields, framing, languages. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignupAbuseTest implements TestPropertyProvider {

    private static final String KEY = "abuse-form";
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    @Inject
    DeliveryFixture fixture;
    @Inject
    TestUsers users;
    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.security.trusted-proxies", "127.0.0.1/32,::1/128", "outreach.signup.submissions-per-hour", "5");
    }

    @BeforeAll
    void form() {
        Api api = new Api(client);
        Api.Response created = api.post("/api/v1/forms", SignupTestSupport.formBody(KEY, null, Map.of()), users.token(api, Role.ADMIN));
        assertEquals(201, created.status(), created.body());
    }

    private SignupTestSupport.Visitor visitor() {
        return new SignupTestSupport.Visitor(new Api(client), "192.0.2." + ADDRESSES.getAndIncrement());
    }

    private long written() {
        return fixture.count("SELECT COUNT(*) FROM contact") + fixture.count("SELECT COUNT(*) FROM signup_request")
                + fixture.count("SELECT COUNT(*) FROM message") + fixture.count("SELECT COUNT(*) FROM consent_event");
    }

    @Test
    void theHoneypotGetsTheSameAnswerAndNothingIsWritten() {
        long before = written();
        Api.Response r = visitor().signUp(KEY, Map.of("email", "bot@example.org", "channel.EMAIL", "yes", "website", "http://spam.example"));
        assertEquals(200, r.status());
        assertTrue(r.body().contains("Almost done"), "a bot cannot tell it was caught");
        assertEquals(before, written());
    }

    @Test
    void postsFromOneAddressAreLimitedOthersAreNot() {
        SignupTestSupport.Visitor flood = visitor();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, flood.signUp(KEY, Map.of("website", "x")).status(), "post " + i);
        }
        Api.Response limited = flood.signUp(KEY, Map.of("email", "late@example.org", "channel.EMAIL", "yes"));
        assertEquals(429, limited.status());
        assertTrue(limited.body().contains("try again in an hour"), limited.body());
        assertEquals("3600", limited.header("Retry-After"));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM contact WHERE email = 'late@example.org'"));
        assertEquals(200, visitor().signUp(KEY, Map.of("website", "x")).status(), "another address is not limited");
    }

    @Test
    void hostileInputIsRefusedWithAClearAnswerAndNothingHalfWritten() {
        long before = written();
        SignupTestSupport.Visitor v = visitor();
        Api.Response bad = v.signUp(KEY, Map.of("email", "not an address", "channel.EMAIL", "yes", "firstName", "x".repeat(500),
                "postalCode", "<script>"));
        assertEquals(422, bad.status());
        assertTrue(bad.body().contains("aria-describedby=\"email-error\""), bad.body());
        assertTrue(bad.body().contains("id=\"email-error\""), bad.body());
        assertTrue(bad.body().contains("Enter an email address like name@example.com"));
        assertTrue(bad.body().contains("id=\"firstName-error\"") && bad.body().contains("id=\"postalCode-error\""));
        assertFalse(bad.body().contains("<script>"), "what was typed is escaped");

        Api.Response noChannel = v.signUp(KEY, Map.of("email", "fine@example.org"));
        assertEquals(422, noChannel.status());
        assertTrue(noChannel.body().contains("Choose email, text messages, or both."));

        Map<String, String> huge = new LinkedHashMap<>(Map.of("email", "big@example.org", "channel.EMAIL", "yes"));
        huge.put("firstName", "y".repeat(70_000));
        assertEquals(413, v.signUp(KEY, huge).status());

        assertEquals(403, v.post("/join/" + KEY, Map.of("email", "nocsrf@example.org", "channel.EMAIL", "yes")).status());
        Api.Response unknown = v.get("/join/no-such-form");
        assertEquals(404, unknown.status());
        assertTrue(unknown.body().contains("This sign-up form is not available"));
        assertEquals(404, v.post("/join/no-such-form", Map.of("email", "x@example.org")).status());
        assertEquals(404, v.get("/join/confirm/AAAAAAAAAAAAAAAAAAAAAA").status(), "a forged confirmation link: the neutral page");
        assertEquals(before, written());
    }

    @Test
    void onlyTheEmbeddableVariantMayBeFramedAndOnlyByListedPartners() {
        SignupTestSupport.Visitor v = visitor();
        Api.Response page = v.get("/join/" + KEY);
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals("DENY", page.header("X-Frame-Options"));
        Api.Response embed = v.get("/join/" + KEY + "?embed=1");
        assertEquals(200, embed.status());
        assertTrue(embed.header("Content-Security-Policy").contains("frame-ancestors https://partner.example.org;"),
                embed.header("Content-Security-Policy"));
        assertNull(embed.header("X-Frame-Options"));
        assertTrue(embed.body().contains("action=\"/join/" + KEY + "?lang=en&amp;embed=1\""), "the answer stays framable");
    }

    @Test
    void thePageSpeaksThePersonsLanguageWithLabelsForEveryField() {
        SignupTestSupport.Visitor v = visitor();
        Api.Response es = v.get("/join/" + KEY + "?lang=es");
        assertTrue(es.body().contains("<html lang=\"es\">"));
        assertTrue(es.body().contains("Consejos " + KEY) && es.body().contains("Inscribirme"));
        assertTrue(es.body().contains("Envíenme consejos (" + KEY + ") por correo."), "the Spanish wording beside its box");
        for (String field : new String[]{"firstName", "lastName", "email", "phone", "postalCode", "language"}) {
            assertTrue(es.body().contains("<label for=\"" + field + "\">"), field);
        }
        assertFalse(es.body().contains("<script"), "no script");
        Api.Response error = v.post("/join/" + KEY + "?lang=es", Map.of("csrf", SignupTestSupport.csrf(es.body()),
                "phone", "12", "channel.SMS", "yes"));
        assertEquals(422, error.status());
        assertTrue(error.body().contains("Escriba un número de celular como 512 555 0100."), error.body());
    }
}
