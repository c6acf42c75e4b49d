package health.outreach.web;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every admin page route, found in the router (so a new page cannot be forgotten here), against
 * anonymous and every role: anonymous visitors are sent to sign in, a manager reads, a coordinator
 * also edits, only an administrator manages users. Ids that do not exist keep every request
 * harmless: an allowed request answers anything but the role refusal; a refused one never runs.
 */
@MicronautTest(transactional = false)
class AdminRouteMatrixTest {

    private static final String REFUSED = "Your role may not do this";
    /** Pages that only show a form to change something. */
    private static final Pattern EDIT_PAGES = Pattern.compile(".*/(new|edit|steps|review|archive)|/admin/contacts/import|.*/confirm/.*");

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Router router;

    private record Route(HttpMethod method, String path) {
        String url() {
            return path.replace("{id}", "987654").replace("{deliveryId}", "987654").replace("{action}", "cancel").replace("{version}", "1");
        }

        Role least() {
            if (path.startsWith("/admin/users") || path.startsWith("/admin/audit") || path.startsWith("/admin/webhooks")) {
                return Role.ADMIN;
            }
            if (path.equals("/admin/account")) {
                return Role.MANAGER; // everyone's own settings
            }
            return method == HttpMethod.GET && !EDIT_PAGES.matcher(path).matches() ? Role.MANAGER : Role.COORDINATOR;
        }
    }

    private java.util.Set<Route> routes() {
        java.util.Set<Route> routes = new java.util.LinkedHashSet<>(); // the router lists some routes twice
        router.uriRoutes().forEach(r -> {
            String path = r.getUriMatchTemplate().toPathString();
            boolean getOrPost = r.getHttpMethod() == HttpMethod.GET || r.getHttpMethod() == HttpMethod.POST; // HEAD mirrors GET
            if (getOrPost && (path.equals("/admin") || path.startsWith("/admin/"))) {
                routes.add(new Route(r.getHttpMethod(), path));
            }
        });
        return routes;
    }

    @Test
    void theRouterHasEveryAdminPageThisTestKnowsOf() {
        TreeSet<String> found = new TreeSet<>();
        routes().forEach(r -> found.add(r.method() + " " + r.path()));
        for (String expected : List.of("GET /admin", "GET /admin/campaigns", "POST /admin/campaigns/{id}/{action}",
                "GET /admin/templates/{id}/preview", "GET /admin/contacts/import", "POST /admin/contacts/{id}/consents",
                "GET /admin/segments/{id}", "GET /admin/mailbox/{id}/html", "POST /admin/users/{id}", "GET /admin/imports/{id}",
                "GET /admin/campaigns/{id}/report.csv", "GET /admin/audit",
                "GET /admin/webhooks/{id}", "POST /admin/webhooks/{id}/deliveries/{deliveryId}/replay")) {
            assertTrue(found.contains(expected), expected + " in " + found);
        }
    }

    @Test
    void everyRouteAgainstAnonymousAndEveryRole() {
        Map<Role, PageSession> sessions = Map.of(
                Role.MANAGER, session(Role.MANAGER), Role.COORDINATOR, session(Role.COORDINATOR),
                Role.ADMIN, PageSession.signedIn(client, "admin", "admin-test-password"));
        List<String> wrong = new ArrayList<>();
        for (Route route : routes()) {
            Api.Response anonymous = call(new PageSession(client), route);
            if (anonymous.status() != 303 || !anonymous.header("Location").startsWith("/login?next=")) {
                wrong.add("anonymous " + route + ": " + anonymous.status());
            }
            for (Role role : Role.values()) {
                Api.Response r = call(sessions.get(role), route);
                boolean refused = r.status() == 403 && r.body().contains(REFUSED);
                boolean mayAct = role.ordinal() <= route.least().ordinal(); // ADMIN, COORDINATOR, MANAGER in that order
                if (refused == mayAct || r.status() >= 500) {
                    wrong.add(role + " " + route + ": " + r.status());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private PageSession session(Role role) {
        return users.page(client, role);
    }

    /** GETs as a browser; POSTs with the session's form token, so only the role can refuse them. */
    private static Api.Response call(PageSession session, Route route) {
        if (route.method() == HttpMethod.GET) {
            return session.get(route.url());
        }
        if (route.path().equals("/admin/contacts/import")) {
            return session.upload(route.url(), "file", "contacts.csv", "email\nx@example.org\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return session.post(route.url(), Map.of());
    }
}
