package health.outreach.web;

import health.outreach.common.FieldError;
import health.outreach.common.Problem;
import health.outreach.common.ProblemResponses;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Turns the framework's own errors (404 route, 405, malformed JSON, bean validation, 401/403 from
 * security) into problem+json, so a client sees one error style everywhere.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

    private final Provider<AdminPages> pages;

    ProblemErrorResponseProcessor(Provider<AdminPages> pages) {
        this.pages = pages;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        List<FieldError> errors = context.getErrors().stream()
                .filter(e -> e.getPath().isPresent())
                .map(e -> FieldError.of(fieldName(e.getPath().get()), e.getMessage()))
                .toList();
        String detail = detail(status, context);
        MutableHttpResponse<Problem> response = (MutableHttpResponse<Problem>) base;
        if ("HEAD".equals(context.getRequest().getMethodName())) {
            return response;
        }
        if (AdminPages.isPage(context.getRequest().getPath()) && status != HttpStatus.UNAUTHORIZED) {
            // A mistyped admin link (/admin/campaigns/abc) is a page a person can read, like every other problem there.
            return (MutableHttpResponse) pages.get().page(context.getRequest(), status, "problem",
                    Map.of("title", status.getReason(), "detail", detail, "errors", errors));
        }
        String type = errors.isEmpty() ? slug(status) : "validation";
        return response.body(ProblemResponses.problem(status, type, detail, context.getRequest().getPath(), errors))
                .contentType(Problem.MEDIA_TYPE);
    }

    private static String detail(HttpStatus status, ErrorContext context) {
        if (status.getCode() >= 500) {
            // Never show internals to a caller; the cause is in the server log.
            context.getRootCause().ifPresent(cause -> LOG.error("Request {} failed", context.getRequest().getPath(), cause));
            return "The server could not complete this request; it has been logged";
        }
        return switch (status) {
            case UNAUTHORIZED -> "Authentication required: send a bearer token from POST /login";
            case FORBIDDEN -> "Your role does not allow this";
            case NOT_FOUND -> "Nothing here: " + context.getRequest().getPath();
            default -> context.getErrors().stream().map(Error::getMessage).findFirst().orElse(status.getReason());
        };
    }

    private static String slug(HttpStatus status) {
        return status.getReason().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    /** "create.request.email" (method.argument.property) becomes "email"; nested paths keep their tail. */
    static String fieldName(String path) {
        String[] parts = path.split("\\.");
        if (parts.length <= 2) {
            return parts[parts.length - 1];
        }
        return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
    }
}
