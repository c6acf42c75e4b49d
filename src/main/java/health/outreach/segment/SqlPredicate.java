package health.outreach.segment;

import java.util.List;

/** A WHERE fragment over contact alias {@code c}, with its bind parameters in order. */
public record SqlPredicate(String sql, List<Object> params) {
}
