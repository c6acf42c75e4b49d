package health.outreach.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.security.config.RedirectConfiguration;
import io.micronaut.security.config.RedirectService;
import io.micronaut.security.errors.PriorToLoginPersistence;
import jakarta.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Admin pages answer a browser: someone not signed in is sent to the login page (and back after
 * it), someone whose role may not do this gets a page saying so. Everything else, the API
 * included, keeps the framework's problem+json 401 and 403.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
class PageAccessHandler extends DefaultAuthorizationExceptionHandler {

    private final AdminPages pages;

    PageAccessHandler(ErrorResponseProcessor<?> errors, RedirectConfiguration redirects, RedirectService redirectService,
                      @Nullable PriorToLoginPersistence priorToLogin, AdminPages pages) {
        super(errors, redirects, redirectService, priorToLogin);
        this.pages = pages;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        String path = request.getPath();
        if (!AdminPages.isPage(path)) {
            return super.handle(request, exception);
        }
        if (exception.isForbidden()) {
            return pages.page(request, io.micronaut.http.HttpStatus.FORBIDDEN, "forbidden",
                    Map.of("why", "Your role may not do this. Ask an administrator if you need to."));
        }
        String query = request.getUri().getRawQuery();
        String next = !"GET".equals(request.getMethodName()) ? "/admin" : query == null ? path : path + "?" + query;
        return HttpResponse.seeOther(URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
    }
}
