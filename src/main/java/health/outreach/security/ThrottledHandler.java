package health.outreach.security;

import health.outreach.common.ProblemResponses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;

@Singleton
@Produces
class ThrottledHandler implements ExceptionHandler<LoginController.Throttled, HttpResponse<?>> {

    private final LoginThrottle throttle;

    ThrottledHandler(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, LoginController.Throttled exception) {
        return ProblemResponses.response(request, HttpStatus.TOO_MANY_REQUESTS, "too-many-logins",
                        exception.getMessage(), List.of())
                .header("Retry-After", Long.toString(throttle.retryAfterSeconds()));
    }
}
