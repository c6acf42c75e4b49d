package health.outreach.web;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing in and out of the admin UI, where anonymous visitors go, and what a stale form gets. */
@MicronautTest(transactional = false)
class AdminAccessTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Test
    void anonymousVisitorsAreSentToTheLoginPageAndBackAfterIt() {
        PageSession anonymous = new PageSession(client);
        assertEquals("/admin", anonymous.get("/").header("Location"));
        Api.Response page = anonymous.get("/admin/campaigns?status=RUNNING");
        assertEquals(303, page.status());
        assertEquals("/login?next=%2Fadmin%2Fcampaigns%3Fstatus%3DRUNNING", page.header("Location"));
        Api.Response login = anonymous.get("/login?next=/admin/campaigns");
        assertEquals(200, login.status());
        assertTrue(login.body().contains("value=\"/admin/campaigns\""), "the form carries next");

        users.token(new Api(client), Role.COORDINATOR); // creates the user
        Api.Response signedIn = anonymous.submit("/login", Map.of("username", "test-coordinator", "password", TestUsers.PASSWORD,
                "next", "/admin/campaigns"));
        assertEquals(303, signedIn.status());
        assertEquals("/admin/campaigns", signedIn.header("Location"));
        String cookie = signedIn.header("Set-Cookie");
        assertTrue(cookie.toLowerCase().contains("httponly") && cookie.contains("SameSite=Strict"), cookie);
    }

    @Test
    void aWrongPasswordShowsTheFormAgainAndNextCannotLeaveTheAdminUi() {
        PageSession anonymous = new PageSession(client);
        Api.Response wrong = anonymous.submit("/login", Map.of("username", "admin", "password", "nope", "next", "/admin"));
        assertEquals(401, wrong.status());
        assertTrue(wrong.contentType().startsWith("text/html"), wrong.contentType());
        assertTrue(wrong.body().contains("Unknown username or wrong password."));
        assertTrue(wrong.body().contains("value=\"admin\""), "the username is kept");

        for (String next : new String[]{"https://evil.example/admin", "//evil.example/admin", "/admin/../../x//y", "/other", "/admin\\evil"}) {
            Api.Response r = anonymous.submit("/login", Map.of("username", "admin", "password", "admin-test-password", "next", next));
            assertEquals(303, r.status());
            assertEquals("/admin", r.header("Location"), next);
        }
        Api.Response crossSite = anonymous.send("/login", Map.of("username", "admin", "password", "admin-test-password"),
                Map.of("Sec-Fetch-Site", "cross-site"));
        assertEquals(403, crossSite.status(), "a login form posted from another site");
    }

    @Test
    void everyPageShowsWhoIsSignedInAndSigningOutNeedsTheFormToken() {
        PageSession admin = PageSession.signedIn(client, "admin", "admin-test-password");
        Api.Response dashboard = admin.get("/admin");
        assertEquals(200, dashboard.status());
        assertTrue(dashboard.body().contains("Administrator"), "who is signed in");
        assertFalse(dashboard.body().contains("is not https"), "a loopback public URL needs no warning");
        assertTrue(dashboard.header("Content-Security-Policy").contains("default-src 'none'"));
        assertEquals("DENY", dashboard.header("X-Frame-Options"));
        assertFalse(admin.csrf().isEmpty());

        Api.Response forged = admin.submit("/logout", Map.of("_csrf", "forged"));
        assertEquals(403, forged.status());
        Api.Response out = admin.post("/logout", Map.of());
        assertEquals(303, out.status());
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
        assertEquals(303, admin.get("/admin").status(), "the old cookie, sent again (copied), no longer signs in");
    }

    @Test
    void aTokenStopsWorkingWhenItsUserIsDisabledOrGetsAnotherRole() {
        Api api = new Api(client);
        String admin = api.login("admin", "admin-test-password");
        Api.Response created = api.post("/api/v1/users", Map.of("username", "revoked.user", "role", "MANAGER",
                "password", "a long enough passphrase"), admin);
        assertEquals(201, created.status(), created.body());
        Number id = (Number) created.json().get("id");
        String manager = api.login("revoked.user", "a long enough passphrase");
        assertEquals(200, api.get("/api/v1/campaigns", manager).status());
        assertEquals(200, api.put("/api/v1/users/" + id, Map.of("role", "COORDINATOR", "enabled", true), admin).status());
        assertEquals(401, api.get("/api/v1/campaigns", manager).status(), "issued for the old role");

        String coordinator = api.login("revoked.user", "a long enough passphrase");
        assertEquals(200, api.get("/api/v1/campaigns", coordinator).status());
        assertEquals(200, api.put("/api/v1/users/" + id, Map.of("role", "COORDINATOR", "enabled", false), admin).status());
        assertEquals(401, api.get("/api/v1/campaigns", coordinator).status(), "the user is disabled");
    }

    @Test
    void theApiStillAnswersProblemJsonNotRedirects() {
        Api.Response r = new Api(client).get("/api/v1/campaigns", null);
        assertEquals(401, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }
}
