package health.outreach.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** An RFC 9457 problem document; every error the service answers has this shape. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable String instance, @Nullable List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
