package health.outreach.web;

import health.outreach.common.ProblemException;
import health.outreach.common.ProblemResponses;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

/** problem+json for the API; on an admin page the same problem as a page a person can read. */
@Singleton
@Produces
@Requires(classes = {ProblemException.class, ExceptionHandler.class})
class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<?>> {

    private final AdminPages pages;

    ProblemExceptionHandler(AdminPages pages) {
        this.pages = pages;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
        if (AdminPages.isPage(request.getPath())) {
            return pages.page(request, exception.status(), "problem", Map.of("title", exception.status().getReason(),
                    "detail", exception.getMessage(), "errors", exception.errors()));
        }
        return ProblemResponses.response(request, exception.status(), exception.type(),
                exception.getMessage(), exception.errors());
    }
}
