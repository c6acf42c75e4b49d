package health.outreach.security;

import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tokens signed with the service's own key (the test configuration's) but carrying claims the service
 * never issues are refused. Each forged token is a real one's claims with one change, so the signature
 * is never what refuses it: the unchanged claims, re-signed, are accepted.
 */
@MicronautTest(transactional = false)
class TokenClaimsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Value("${outreach.security.jwt-secret}")
    String secret;

    Api api() {
        return new Api(client);
    }

    @Test
    void theClaimsAsIssuedAreAcceptedWhenSignedAgain() {
        Map<String, Object> claims = claimsOf(users.token(api(), Role.MANAGER));
        assertEquals("outreach", claims.get("iss"), "the issuer as issued");
        assertEquals("http://localhost:8080", claims.get("aud"), "this deployment (its public URL) as audience");
        assertEquals(List.of("MANAGER"), claims.get("roles"));
        assertEquals(200, api().get("/api/v1/campaigns", forge(Role.MANAGER, c -> { })).status());
    }

    @Test
    void aManagerTokenNamingAdminAsASecondRoleIsRefused() {
        String twoRoles = forge(Role.MANAGER, c -> c.put("roles", List.of("MANAGER", "ADMIN")));
        assertEquals(401, api().get("/api/v1/users", twoRoles).status(), "not taken as an administrator");
        assertEquals(401, api().get("/api/v1/campaigns", twoRoles).status(), "not taken at all");
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.MANAGER, c -> c.put("roles", List.of()))).status());
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.MANAGER, c -> c.put("roles", "MANAGER"))).status());
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.MANAGER, c -> c.remove("roles"))).status());
    }

    @Test
    void aTokenWithoutAnExpiryIsRefused() {
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.remove("exp"))).status());
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.put("exp", "never"))).status());
    }

    @Test
    void aTokenNotValidBeforeAnHourFromNowIsRefused() {
        long inAnHour = System.currentTimeMillis() / 1000 + 3600;
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.put("nbf", inAnHour))).status());
    }

    @Test
    void aTokenFromAnotherIssuerOrForAnotherAudienceIsRefused() {
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.put("iss", "https://issuer.example"))).status());
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.remove("iss"))).status());
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.put("aud", "https://staging.example"))).status());
        assertEquals(401, api().get("/api/v1/campaigns",
                forge(Role.ADMIN, c -> c.put("aud", List.of("http://localhost:8080", "https://staging.example")))).status());
        assertEquals(401, api().get("/api/v1/campaigns", forge(Role.ADMIN, c -> c.remove("aud"))).status());
    }

    @Test
    void theSessionCookieIsHeldToTheSameRules() {
        String twoRoles = forge(Role.MANAGER, c -> c.put("roles", List.of("MANAGER", "ADMIN")));
        Api.Response page = api().send(io.micronaut.http.HttpRequest.GET("/admin/users").header("Cookie", "OUTREACH_SESSION=" + twoRoles));
        assertEquals(303, page.status(), "sent to sign in, not shown the users page");
    }

    /** A fresh token of the role's test user, its claims changed by {@code change}, signed with the service's key. */
    private String forge(Role role, Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = claimsOf(users.token(api(), role));
        change.accept(claims);
        String input = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(json(claims));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> claimsOf(String token) {
        String payload = token.split("\\.")[1];
        return new LinkedHashMap<>(Api.JsonBodies.map(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)));
    }

    private static byte[] json(Map<String, Object> claims) {
        try {
            return JSON.writeValueAsBytes(claims);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
