package health.outreach.segment;

import health.outreach.common.FieldError;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** Reads the values of a segment rule's conditions, adding a field error for each one that does not fit. */
final class RuleValues {

    static final int MAX_VALUES = 1000;

    private final List<FieldError> errors;

    RuleValues(List<FieldError> errors) {
        this.errors = errors;
    }

    String badOp(String path, Set<String> allowed) {
        errors.add(FieldError.of(path + ".op", "expected one of " + String.join(", ", new java.util.TreeSet<>(allowed))));
        return "FALSE";
    }

    String string(Object value, String path) {
        if (value instanceof String s && !s.isEmpty() && s.length() <= 1000) {
            return s;
        }
        errors.add(FieldError.of(path + ".value", "must be a non-empty text value"));
        return null;
    }

    List<String> strings(Object value, String path) {
        if (value instanceof List<?> list && !list.isEmpty() && list.size() <= MAX_VALUES
                && list.stream().allMatch(v -> v instanceof String s && !s.isEmpty() && s.length() <= 1000)) {
            return list.stream().map(String.class::cast).toList();
        }
        errors.add(FieldError.of(path + ".value", "must be a list of 1 to " + MAX_VALUES + " text values"));
        return List.of();
    }

    BigDecimal number(Object value, String path) {
        try {
            if (value instanceof Number n) {
                return new BigDecimal(n.toString());
            }
            if (value instanceof String s) {
                return new BigDecimal(s.strip());
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(FieldError.of(path + ".value", "must be a number"));
        return null;
    }

    LocalDate date(Object value, String path) {
        if (value instanceof String s) {
            try {
                return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        errors.add(FieldError.of(path + ".value", "must be a date like 2026-03-31"));
        return null;
    }

    Integer days(Object value, String path) {
        if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 36500 && n.doubleValue() == Math.floor(n.doubleValue())) {
            return n.intValue();
        }
        errors.add(FieldError.of(path + ".value", "must be a whole number of days between 0 and 36500"));
        return null;
    }

    static Set<String> union(Set<String> ops) {
        Set<String> all = new java.util.TreeSet<>(ops);
        all.add("isSet");
        all.add("isNotSet");
        return all;
    }

    static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static String abbreviate(String value) {
        String v = value.replaceAll("\\p{Cntrl}", "?");
        return v.length() > 40 ? v.substring(0, 37) + "..." : v;
    }
}
