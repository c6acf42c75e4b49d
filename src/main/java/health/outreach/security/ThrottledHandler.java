package health.outreach.security;

import health.outreach.common.ProblemResponses;
import health.outreach.web.AdminPages;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

@Singleton
@Produces
class ThrottledHandler implements ExceptionHandler<LoginController.Throttled, HttpResponse<?>> {

    private final LoginThrottle throttle;
    private final AdminPages pages;

    ThrottledHandler(LoginThrottle throttle, AdminPages pages) {
        this.throttle = throttle;
        this.pages = pages;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, LoginController.Throttled exception) {
        String retryAfter = Long.toString(throttle.retryAfterSeconds());
        boolean browser = ((HttpRequest<?>) request).getContentType().map(MediaType.APPLICATION_FORM_URLENCODED_TYPE::equals).orElse(false);
        if (browser) {
            return pages.page(request, HttpStatus.TOO_MANY_REQUESTS, "login", Map.of("next", "/admin", "username", "",
                    "error", "Too many failed sign-ins. Try again in " + retryAfter + " seconds.")).header("Retry-After", retryAfter);
        }
        return ProblemResponses.response(request, HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
                        exception.getMessage(), List.of())
                .header("Retry-After", retryAfter);
    }
}
