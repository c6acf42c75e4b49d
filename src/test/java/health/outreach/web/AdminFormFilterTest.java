package health.outreach.web;

import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every admin form POST, found in the router (so a new one cannot be left out), is refused without
 * its session's form token before its handler runs: an administrator, who may do everything, gets
 * the "nothing was changed" page on each, whether the token is missing, forged or sent from another site.
 */
@MicronautTest(transactional = false)
class AdminFormFilterTest {

    private static final String REFUSED = "The form had expired or came from another site. Nothing was";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Router router;

    @Inject
    TestUsers users;

    private List<UriRouteInfo<?, ?>> adminPosts() {
        List<UriRouteInfo<?, ?>> posts = new ArrayList<>();
        router.uriRoutes().forEach(r -> {
            String path = r.getUriMatchTemplate().toPathString();
            if (r.getHttpMethod() == HttpMethod.POST && (path.startsWith("/admin") || path.equals("/logout"))) {
                posts.add(r);
            }
        });
        return posts;
    }

    /** The route's path with every variable filled: ids with 1, actions with "pause". */
    private static String concrete(String template) {
        return template.replaceAll("\\{action}", "pause").replaceAll("\\{[^}]+}", "1");
    }

    @Test
    void everyAdminFormRefusesAMissingForgedOrCrossSiteToken() {
        PageSession admin = users.page(client, Role.ADMIN);
        List<String> answers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        List<UriRouteInfo<?, ?>> posts = adminPosts();
        assertTrue(posts.size() > 30, "the router lists the admin forms: " + posts.size());
        for (UriRouteInfo<?, ?> route : posts) {
            if (route.getConsumes().contains(MediaType.MULTIPART_FORM_DATA_TYPE)) {
                continue; // the upload, below
            }
            String path = concrete(route.getUriMatchTemplate().toPathString());
            for (String attempt : new String[] {"missing", "forged", "cross-site"}) {
                Api.Response r = switch (attempt) {
                    case "missing" -> admin.submit(path, Map.of("name", "x"));
                    case "forged" -> admin.submit(path, Map.of("_csrf", "x" + admin.csrf(), "name", "x"));
                    default -> admin.send(path, Map.of("_csrf", admin.csrf(), "name", "x"), Map.of("Sec-Fetch-Site", "cross-site"));
                };
                answers.add(path + " " + attempt + ": " + r.status() + " " + r.body().contains(REFUSED));
                expected.add(path + " " + attempt + ": 403 true");
            }
        }
        assertEquals(String.join("\n", expected), String.join("\n", answers));
    }

    @Test
    void theCsvUploadIsTheOnlyMultipartFormAndChecksItsOwnToken() {
        TreeSet<String> multipart = new TreeSet<>();
        adminPosts().stream().filter(r -> r.getConsumes().contains(MediaType.MULTIPART_FORM_DATA_TYPE))
                .forEach(r -> multipart.add(r.getUriMatchTemplate().toPathString()));
        assertEquals(new TreeSet<>(List.of("/admin/contacts/import")), multipart);

        PageSession coordinator = users.page(client, Role.COORDINATOR);
        byte[] csv = "email\nfiltered@example.org\n".getBytes(StandardCharsets.UTF_8);
        Api.Response none = coordinator.upload("/admin/contacts/import", null, "file", "a.csv", csv);
        Api.Response forged = coordinator.upload("/admin/contacts/import", "forged", "file", "a.csv", csv);
        assertEquals(403, none.status());
        assertEquals(403, forged.status());
        assertTrue(forged.body().contains(REFUSED + " imported."), forged.body());
    }

    @Test
    void theRightTokenGoesThroughToTheHandler() {
        PageSession coordinator = users.page(client, Role.COORDINATOR);
        Api.Response saved = coordinator.post("/admin/account", Map.of("timeZone", "America/Chicago"));
        assertEquals(303, saved.status(), saved.body());
    }
}
