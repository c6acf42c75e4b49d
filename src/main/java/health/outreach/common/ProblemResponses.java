package health.outreach.common;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.List;

/** Builds problem+json responses; the one place that decides their shape. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Problem problem(HttpStatus status, String type, String detail, String instance, List<FieldError> errors) {
        String typeUri = type == null || type.isBlank() ? "about:blank" : "/problems/" + type;
        return new Problem(typeUri, status.getReason(), status.getCode(), detail, instance,
                errors == null || errors.isEmpty() ? null : errors);
    }

    public static MutableHttpResponse<Problem> response(HttpRequest<?> request, HttpStatus status, String type,
                                                        String detail, List<FieldError> errors) {
        MutableHttpResponse<Problem> response = HttpResponse.status(status);
        if (request != null && "HEAD".equals(request.getMethodName())) {
            return response;
        }
        return response.body(problem(status, type, detail, request == null ? null : request.getPath(), errors))
                .contentType(Problem.MEDIA_TYPE);
    }
}
