package health.outreach.segment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A node of a segment rule: either a group ({@code match} ALL|ANY over {@code conditions}) or a
 * condition ({@code field}, {@code op}, {@code value}).
 * <pre>{"match":"ALL","conditions":[{"field":"language","op":"eq","value":"es"},
 *   {"field":"attr.age_band","op":"in","value":["45-64","65+"]}]}</pre>
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SegmentRule(@Nullable String match,
                          @Nullable List<SegmentRule> conditions,
                          @Nullable String field,
                          @Nullable String op,
                          @Nullable Object value) {

    public boolean isGroup() {
        return conditions != null || match != null;
    }
}
