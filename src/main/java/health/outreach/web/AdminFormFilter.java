package health.outreach.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.filter.FilterBodyParser;
import jakarta.annotation.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * The one place admin forms are checked against cross-site posting: every POST to an admin page or
 * to sign-out must carry its session's form token ({@link AdminFormTokens}), or it is answered with
 * a page saying nothing was changed, before any handler runs. It runs after the security filter, so
 * only signed-in people get this far.
 *
 * <p>The one multipart form (the CSV upload) streams its file to disk; buffering it here to find the
 * token would hold up to the import's size in memory, so that page reads the token part itself
 * ({@code AdminFormFilterTest} proves it is the only multipart admin route).
 */
@ServerFilter(patterns = {"/admin/**", "/logout"}, methods = HttpMethod.POST)
final class AdminFormFilter implements Ordered {

    private final FilterBodyParser bodies;
    private final AdminFormTokens tokens;
    private final AdminPages pages;

    AdminFormFilter(FilterBodyParser bodies, AdminFormTokens tokens, AdminPages pages) {
        this.bodies = bodies;
        this.tokens = tokens;
        this.pages = pages;
    }

    /**
     * An around filter (it calls the rest of the chain itself) rather than one whose future completes
     * with null to go on: with the body still arriving, the framework mishandles a request filter's
     * late null.
     */
    @RequestFilter
    Publisher<MutableHttpResponse<?>> check(HttpRequest<?> request, FilterContinuation<Publisher<MutableHttpResponse<?>>> rest) {
        if (request.getContentType().filter(MediaType.MULTIPART_FORM_DATA_TYPE::matches).isPresent()) {
            return rest.proceed();
        }
        return Mono.fromFuture(bodies.parseBody(request)).flatMap(form -> tokens.accepts(request, token(form))
                ? Mono.from(rest.proceed()) : Mono.just(pages.refusedForm(request, "changed")));
    }

    @Nullable
    private static String token(Map<String, Object> form) {
        Object value = form.get(AdminFormTokens.FIELD);
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        return value instanceof String s ? s : null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
