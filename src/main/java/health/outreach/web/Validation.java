package health.outreach.web;

import health.outreach.common.FieldError;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Comparator;
import java.util.List;

/**
 * Bean validation for forms the admin pages build themselves (the API gets it from {@code @Valid}),
 * as the same field errors the API reports, in a stable order.
 */
@Singleton
public class Validation {

    private final Validator validator;

    public Validation(Validator validator) {
        this.validator = validator;
    }

    public List<FieldError> check(Object form) {
        return validator.validate(form).stream()
                .map(v -> FieldError.of(path(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
    }

    private static String path(ConstraintViolation<?> v) {
        return v.getPropertyPath().toString().replace("<list element>", "");
    }
}
