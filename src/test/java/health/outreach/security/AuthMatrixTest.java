package health.outreach.security;

import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route under /api/v1 (read from the router, so new routes are covered without editing this
 * test) against anonymous and each role, checked against the product's policy: MANAGER reads,
 * COORDINATOR also edits, ADMIN also manages users and sign-in locks, clinics, the program, reads the
 * audit log and recounts report counters.
 */
@MicronautTest(transactional = false)
class AuthMatrixTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Router router;

    @Inject
    TestUsers users;

    record Route(HttpMethod method, String template) {
        String path() {
            return template.replaceAll("\\{[^}]+}", "999999").replaceAll("\\{[^}]*$", "");
        }

        boolean read() {
            return method == HttpMethod.GET || method == HttpMethod.HEAD;
        }

        boolean adminOnly() {
            return template.startsWith("/api/v1/users") || template.startsWith("/api/v1/audit")
                    || template.startsWith("/api/v1/login-locks")
                    || template.startsWith("/api/v1/reports/rebuild") || template.startsWith("/api/v1/webhook-endpoints")
                    || (!read() && (template.startsWith("/api/v1/clinics") || template.startsWith("/api/v1/program")));
        }

        boolean allows(Role role) {
            return switch (role) {
                case ADMIN -> true;
                case COORDINATOR -> !adminOnly();
                case MANAGER -> read() && !adminOnly();
            };
        }
    }

    List<Route> apiRoutes() {
        return router.uriRoutes()
                .map(r -> new Route(r.getHttpMethod(), r.getUriMatchTemplate().toPathString()))
                .filter(r -> r.template().startsWith("/api/v1"))
                .distinct()
                .sorted(Comparator.comparing(Route::template).thenComparing(r -> r.method().name()))
                .toList();
    }

    @Test
    void everyApiRouteIsClosedToAnonymousAndFollowsTheRolePolicy() {
        Api api = new Api(client);
        List<Route> routes = apiRoutes();
        assertTrue(routes.size() >= 15, "expected the API's routes, found " + routes);
        List<String> violations = new ArrayList<>();
        for (Route route : routes) {
            int anonymous = api.send(request(route, null)).status();
            if (anonymous != 401) {
                violations.add(route + " anonymous -> " + anonymous);
            }
            for (Role role : Role.values()) {
                int status = api.send(request(route, users.token(api, role))).status();
                boolean allowed = route.allows(role);
                if (allowed && (status == 401 || status == 403)) {
                    violations.add(route + " " + role + " should be allowed, got " + status);
                } else if (!allowed && status != 403) {
                    violations.add(route + " " + role + " should be 403, got " + status);
                }
            }
        }
        assertEquals("", violations.stream().collect(Collectors.joining("\n")));
    }

    private static MutableHttpRequest<?> request(Route route, String token) {
        MutableHttpRequest<?> request = switch (route.method()) {
            case GET -> HttpRequest.GET(route.path());
            case DELETE -> HttpRequest.DELETE(route.path());
            case POST -> route.template().endsWith("/import")
                    ? HttpRequest.POST(route.path(), "").contentType("text/csv")
                    : HttpRequest.POST(route.path(), "{}").contentType("application/json");
            case PUT -> HttpRequest.PUT(route.path(), "{}").contentType("application/json");
            default -> HttpRequest.create(route.method(), route.path());
        };
        if (token != null) {
            request.bearerAuth(token);
        }
        return request;
    }
}
