package health.outreach.security;

import health.outreach.config.OutreachConfig;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Set;

/**
 * Who reaches the operational surface. {@code /health} is for everyone (its details only for signed-in
 * users, see {@code endpoints.health.details-visible}). Metrics ({@code /prometheus}, {@code /metrics})
 * and the API documentation ({@code /swagger-ui}, {@code /swagger/**}) are for a signed-in administrator
 * (bearer token, or the admin UI's session cookie in a browser), unless {@code outreach.expose-operations}
 * opens them to anyone, for a scraper on a private network. Any other endpoint that is not sensitive is
 * for administrators too; sensitive ones (beans, environment, loggers, ...) stay refused to everybody.
 */
@Singleton
@Replaces(SensitiveEndpointRule.class)
class OperationsAccess extends SensitiveEndpointRule {

    private static final Set<String> EXPOSABLE = Set.of("prometheus", "metrics");

    private final boolean exposed;

    OperationsAccess(EndpointSensitivityProcessor endpoints, OutreachConfig config) {
        super(endpoints);
        this.exposed = config.exposeOperations();
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request.getPath().startsWith("/swagger")) { // the UI, its assets and the OpenAPI document
            return Mono.just(exposed ? SecurityRuleResult.ALLOWED : administrator(authentication));
        }
        return super.check(request, authentication);
    }

    @Override
    @NonNull
    protected Publisher<SecurityRuleResult> checkNotSensitive(@NonNull HttpRequest<?> request,
                                                              @Nullable Authentication authentication,
                                                              @NonNull ExecutableMethod<?, ?> method) {
        String endpoint = method.stringValue(Endpoint.class).orElse("");
        if (endpoint.equals("health")) {
            return super.checkNotSensitive(request, authentication, method);
        }
        if (exposed && EXPOSABLE.contains(endpoint)) {
            return Mono.just(SecurityRuleResult.ALLOWED);
        }
        return Mono.just(administrator(authentication));
    }

    /** Beans, environment, loggers, routes, thread dumps: nobody's business over HTTP, signed in or not. */
    @Override
    @NonNull
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(@NonNull HttpRequest<?> request,
                                                                        @NonNull Authentication authentication,
                                                                        @NonNull ExecutableMethod<?, ?> method) {
        return Mono.just(SecurityRuleResult.REJECTED);
    }

    private static SecurityRuleResult administrator(@Nullable Authentication authentication) {
        return authentication != null && authentication.getRoles().contains(Roles.ADMIN)
                ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED;
    }
}
