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

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A locked sign-in: 429 with Retry-After saying when the lock ends; the sign-in page again for a browser. */
@Singleton
@Produces
class ThrottledHandler implements ExceptionHandler<LoginController.Throttled, HttpResponse<?>> {

    private final AdminPages pages;
    private final Clock clock;

    ThrottledHandler(AdminPages pages, Clock clock) {
        this.pages = pages;
        this.clock = clock;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, LoginController.Throttled exception) {
        long seconds = Math.max(1, (Duration.between(clock.instant(), exception.until()).toMillis() + 999) / 1000);
        String retryAfter = Long.toString(seconds);
        boolean browser = ((HttpRequest<?>) request).getContentType().map(MediaType.APPLICATION_FORM_URLENCODED_TYPE::equals).orElse(false);
        if (browser) {
            String wait = seconds < 120 ? seconds + " seconds" : ((seconds + 59) / 60) + " minutes";
            return pages.page(request, HttpStatus.TOO_MANY_REQUESTS, "login", Map.of("next", "/admin", "username", "",
                    "error", "Too many failed sign-ins. Try again in " + wait + ", or ask an administrator to lift the lock."))
                    .header("Retry-After", retryAfter);
        }
        return ProblemResponses.response(request, HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
                        exception.getMessage(), List.of())
                .header("Retry-After", retryAfter);
    }
}
