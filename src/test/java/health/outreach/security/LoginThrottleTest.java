package health.outreach.security;

import health.outreach.support.Api;
import health.outreach.support.MutableClock;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in throttling as people meet it: wrong passwords from one address lock that username for that
 * address only, many usernames from one address lock the address, a lock runs out after the window
 * and an administrator sees and lifts it (API and users page), every lock and lift audited. The test
 * client stands for a trusted proxy, so each request names its client address in X-Forwarded-For.
 * Each test uses addresses of its own.
 */
@MicronautTest(transactional = false)
@Property(name = "outreach.security.trusted-proxies", value = "127.0.0.1/32,::1/128")
class LoginThrottleTest {

    private static final String ADMIN_PASSWORD = "admin-test-password";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    MutableClock clock;

    Api api() {
        return new Api(client);
    }

    Api.Response login(String username, String password, String from) {
        return api().send(HttpRequest.POST("/login", Map.of("username", username, "password", password))
                .contentType(MediaType.APPLICATION_JSON).header("X-Forwarded-For", from));
    }

    String adminToken(String from) {
        Api.Response r = login("admin", ADMIN_PASSWORD, from);
        assertEquals(200, r.status(), r.body());
        return (String) r.json().get("access_token");
    }

    @Test
    void fiveWrongPasswordsFromOneAddressDoNotLockTheAdminOutElsewhere() {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("admin", "wrong", "203.0.113.66").status());
        }
        Api.Response attacker = login("admin", ADMIN_PASSWORD, "203.0.113.66");
        assertEquals(429, attacker.status(), "the address that guessed is locked, even with the right password");
        long retryAfter = Long.parseLong(attacker.header("Retry-After"));
        assertTrue(retryAfter > 890 && retryAfter <= 900, "until the lock ends: " + retryAfter);

        assertEquals(200, login("admin", ADMIN_PASSWORD, "198.51.100.7").status(), "the admin signs in from elsewhere");
        assertEquals(200, login("admin", ADMIN_PASSWORD, "198.51.100.7").status());
    }

    @Test
    void anAdministratorSeesAndLiftsALockAndBothAreAudited() {
        users.token(api(), Role.MANAGER); // creates test-manager
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("test-manager", "mistyped " + i, "192.0.2.10").status());
        }
        assertEquals(429, login("test-manager", TestUsers.PASSWORD, "192.0.2.10").status());

        String admin = adminToken("192.0.2.200");
        Map<String, Object> lock = lockOf("test-manager", "192.0.2.10", admin);
        assertEquals(5, ((Number) lock.get("failures")).intValue());
        Number id = (Number) lock.get("id");

        String manager = users.token(api(), Role.MANAGER);
        assertEquals(403, api().get("/api/v1/login-locks", manager).status(), "administrators only");
        assertEquals(403, api().delete("/api/v1/login-locks/" + id, manager).status());

        assertEquals(204, api().delete("/api/v1/login-locks/" + id, admin).status());
        assertEquals(200, login("test-manager", TestUsers.PASSWORD, "192.0.2.10").status(), "lifted");
        assertEquals(404, api().delete("/api/v1/login-locks/" + id, admin).status(), "already lifted");
        assertTrue(api().get("/api/v1/login-locks", admin).jsonList().stream().noneMatch(l -> id.equals(((Map<?, ?>) l).get("id"))));

        List<Object> audit = api().get("/api/v1/audit?entityType=login_lock&entityId=" + id, admin).jsonList();
        Map<?, ?> unlock = (Map<?, ?>) audit.get(0);
        Map<?, ?> locked = (Map<?, ?>) audit.get(1);
        assertEquals("login.unlock", unlock.get("action"));
        assertEquals("admin", unlock.get("actor"));
        assertEquals("login.lock", locked.get("action"));
        assertEquals("192.0.2.10", locked.get("clientIp"), "the lock is recorded against the address that guessed");
        assertTrue(((String) locked.get("detail")).contains("test-manager"), (String) locked.get("detail"));
    }

    @Test
    void manyUsernamesFromOneAddressLockTheAddressAndSigningInToAnOwnAccountResetsNothing() {
        users.token(api(), Role.COORDINATOR); // creates test-coordinator, the attacker's own account
        for (int i = 0; i < 19; i++) {
            assertEquals(401, login("someone-" + (i % 7), "guess " + i, "203.0.113.99").status());
            if (i == 10) {
                assertEquals(200, login("test-coordinator", TestUsers.PASSWORD, "203.0.113.99").status());
            }
        }
        assertEquals(401, login("someone-else", "guess", "203.0.113.99").status(), "the 20th failure, still answered");
        assertEquals(429, login("test-coordinator", TestUsers.PASSWORD, "203.0.113.99").status(), "every username from the address");
        assertEquals(200, login("test-coordinator", TestUsers.PASSWORD, "198.51.100.99").status(), "another address is not locked");

        Map<String, Object> lock = lockOf(null, "203.0.113.99", adminToken("198.51.100.98"));
        assertEquals(20, ((Number) lock.get("failures")).intValue());
    }

    @Test
    void aLockEndsAfterTheWindowAndFailuresOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 5; i++) {
            login("admin", "wrong", "203.0.113.120");
        }
        assertEquals(429, login("admin", ADMIN_PASSWORD, "203.0.113.120").status());
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertEquals(200, login("admin", ADMIN_PASSWORD, "203.0.113.120").status(), "the lock ran out");

        for (int i = 0; i < 4; i++) {
            assertEquals(401, login("admin", "wrong", "203.0.113.121").status());
        }
        clock.advance(Duration.ofMinutes(16));
        for (int i = 0; i < 4; i++) {
            assertEquals(401, login("admin", "wrong", "203.0.113.121").status());
        }
        assertEquals(200, login("admin", ADMIN_PASSWORD, "203.0.113.121").status(), "four, then four more after the window");

        for (int i = 0; i < 4; i++) {
            assertEquals(401, login("admin", "wrong", "203.0.113.122").status());
        }
        assertEquals(200, login("admin", ADMIN_PASSWORD, "203.0.113.122").status());
        for (int i = 0; i < 4; i++) {
            assertEquals(401, login("admin", "wrong", "203.0.113.122").status());
        }
        assertEquals(200, login("admin", ADMIN_PASSWORD, "203.0.113.122").status(), "a success starts this username's count again");
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        for (int i = 0; i < 5; i++) {
            login("admin", "wrong", "2001:db8:1:2::" + (i + 1));
        }
        assertEquals(429, login("admin", ADMIN_PASSWORD, "2001:db8:1:2::ff").status(), "one subscriber's /64");
        assertEquals(200, login("admin", ADMIN_PASSWORD, "2001:db8:1:3::1").status(), "another /64");
    }

    @Test
    void theUsersPageListsLocksAndLiftsOneWithTheFormToken() {
        for (int i = 0; i < 5; i++) {
            login("admin", "wrong", "203.0.113.140");
        }
        PageSession admin = PageSession.signedIn(client, "admin", ADMIN_PASSWORD);
        Api.Response page = admin.get("/admin/users");
        assertEquals(200, page.status());
        Matcher row = Pattern.compile("<td>admin</td><td>203\\.0\\.113\\.140</td>.*?action=\"/admin/users/login-locks/(\\d+)/lift\"",
                Pattern.DOTALL).matcher(page.body());
        assertTrue(row.find(), page.body());
        String lift = "/admin/users/login-locks/" + row.group(1) + "/lift";

        assertEquals(403, admin.submit(lift, Map.of("_csrf", "forged")).status(), "no lift without the form token");
        assertEquals(429, login("admin", ADMIN_PASSWORD, "203.0.113.140").status());

        PageSession manager = users.page(client, Role.MANAGER);
        assertEquals(403, manager.post(lift, Map.of()).status());

        Api.Response lifted = admin.post(lift, Map.of());
        assertEquals(303, lifted.status());
        assertEquals("/admin/users?notice=unlocked", lifted.header("Location"));
        assertFalse(admin.get("/admin/users").body().contains("203.0.113.140"));
        assertEquals(200, login("admin", ADMIN_PASSWORD, "203.0.113.140").status());
    }

    @Test
    void theSignInFormSaysWhenToTryAgain() {
        PageSession browser = new PageSession(client);
        for (int i = 0; i < 5; i++) {
            browser.send("/login", Map.of("username", "admin", "password", "wrong"), Map.of("X-Forwarded-For", "203.0.113.150"));
        }
        Api.Response r = browser.send("/login", Map.of("username", "admin", "password", ADMIN_PASSWORD),
                Map.of("X-Forwarded-For", "203.0.113.150"));
        assertEquals(429, r.status());
        assertTrue(r.body().contains("Try again in 15 minutes"), r.body());
        assertEquals(303, browser.send("/login", Map.of("username", "admin", "password", ADMIN_PASSWORD),
                Map.of("X-Forwarded-For", "198.51.100.150")).status());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> lockOf(String username, String client, String adminToken) {
        Api.Response r = api().get("/api/v1/login-locks", adminToken);
        assertEquals(200, r.status(), r.body());
        return r.jsonList().stream().map(l -> (Map<String, Object>) l)
                .filter(l -> Objects.equals(username, l.get("username")) && client.equals(l.get("client")))
                .findFirst().orElseThrow(() -> new AssertionError("no lock for " + username + " from " + client + " in " + r.body()));
    }
}
