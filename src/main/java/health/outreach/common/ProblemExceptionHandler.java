package health.outreach.common;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Singleton
@Produces
@Requires(classes = {ProblemException.class, ExceptionHandler.class})
class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
        return ProblemResponses.response(request, exception.status(), exception.type(),
                exception.getMessage(), exception.errors());
    }
}
