package health.outreach.common;

import io.micronaut.http.HttpStatus;

import java.util.List;

/**
 * Thrown anywhere to answer with a problem+json document. {@code type} is a short slug
 * ({@code validation}, {@code not-found}, ...), rendered as {@code /problems/<slug>}.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final List<FieldError> errors;

    public ProblemException(HttpStatus status, String type, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public ProblemException(HttpStatus status, String type, String detail) {
        this(status, type, detail, List.of());
    }

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).message() : errors.size() + " fields are invalid";
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "validation", detail, errors);
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(FieldError.of(field, message)));
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(HttpStatus.NOT_FOUND, "not-found", what + " " + id + " does not exist");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", detail);
    }

    public static ProblemException badRequest(String type, String detail, List<FieldError> errors) {
        return new ProblemException(HttpStatus.BAD_REQUEST, type, detail, errors);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
