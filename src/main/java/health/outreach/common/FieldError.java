package health.outreach.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One thing wrong with the input: which row (imports; header = row 1), which field, what was expected.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(@Nullable Long row, @Nullable String field, String message) {

    public static FieldError of(String field, String message) {
        return new FieldError(null, field, message);
    }

    public static FieldError atRow(long row, String field, String message) {
        return new FieldError(row, field, message);
    }
}
