package health.outreach.security;

import health.outreach.support.Api;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class LoginTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    Api api() {
        return new Api(client);
    }

    @Test
    void jsonLoginAnswersABearerTokenThatOpensTheApi() {
        Api.Response login = api().post("/login", Map.of("username", "admin", "password", "admin-test-password"), null);
        assertEquals(200, login.status());
        String token = (String) login.json().get("access_token");
        assertNotNull(token);
        assertEquals("Bearer", login.json().get("token_type"));
        assertEquals(200, api().get("/api/v1/contacts", token).status());
        assertEquals(401, api().get("/api/v1/contacts", null).status());
        assertEquals(401, api().get("/api/v1/contacts", token + "x").status());
    }

    @Test
    void wrongPasswordIsAProblemDocument() {
        Api.Response r = api().post("/login", Map.of("username", "admin", "password", "nope"), null);
        assertEquals(401, r.status());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("/problems/login-failed", r.json().get("type"));
    }

    @Test
    void formLoginSetsAStrictHttpOnlyCookieThatTheApiIgnores() {
        Api.Response r = api().send(HttpRequest.POST("/login", "username=admin&password=admin-test-password")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED));
        assertEquals(303, r.status());
        String cookie = r.header("Set-Cookie");
        assertTrue(cookie.startsWith("OUTREACH_SESSION="), cookie);
        assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        String value = cookie.substring("OUTREACH_SESSION=".length(), cookie.indexOf(';'));
        // The API takes bearer tokens only: a cookie riding a cross-site request gets nowhere.
        Api.Response withCookie = api().send(HttpRequest.GET("/api/v1/contacts").header("Cookie", "OUTREACH_SESSION=" + value));
        assertEquals(401, withCookie.status());
    }

    @Test
    void repeatedFailuresAreThrottledEvenForTheRightPassword() {
        String token = users.token(api(), Role.MANAGER); // creates test-manager
        assertNotNull(token);
        for (int i = 0; i < 5; i++) {
            assertEquals(401, api().post("/login", Map.of("username", "test-manager", "password", "wrong" + i), null).status());
        }
        Api.Response blocked = api().post("/login", Map.of("username", "test-manager", "password", TestUsers.PASSWORD), null);
        assertEquals(429, blocked.status());
        assertNotNull(blocked.header("Retry-After"));
        assertEquals("/problems/too-many-logins", blocked.json().get("type"));
    }

    @Test
    void tokensAreSignedAndForgedOnesAreRejected() {
        String token = api().login("admin", "admin-test-password");
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
        assertTrue(header.contains("HS256"), header);

        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"sub\":\"admin\",\"roles\":[\"ADMIN\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        String unsigned = b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b64.encodeToString(claims.getBytes()) + ".";
        assertEquals(401, api().get("/api/v1/contacts", unsigned).status());

        String otherKey = signHs256(b64.encodeToString("{\"alg\":\"HS256\"}".getBytes()) + "." + b64.encodeToString(claims.getBytes()),
                "some-other-secret-some-other-secret-0000");
        assertEquals(401, api().get("/api/v1/contacts", otherKey).status());
    }

    private static String signHs256(String signingInput, String secret) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(), "HmacSHA256"));
            return signingInput + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(signingInput.getBytes()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingFieldsAreReportedByName() {
        Api.Response r = api().post("/login", Map.of("username", "admin"), null);
        assertEquals(400, r.status());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.body().contains("password"), r.body());
    }
}
