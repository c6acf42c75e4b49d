package health.outreach.segment;

import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.contact.AttributeType;
import health.outreach.contact.ConsentState;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a {@link SegmentRule} into a SQL predicate over {@code contact c}. Column names come
 * only from the fixed table below and values only travel as bind parameters, so nothing a caller
 * writes in a rule is ever spliced into SQL. Every problem is reported with its path in the rule.
 */
public final class SegmentQuery {

    private static final int MAX_DEPTH = 5;
    private static final int MAX_CONDITIONS = 100;

    private enum Kind { TEXT, LANGUAGE, POSTAL, CLINIC, CONSENT, CREATED }

    private record Field(String column, Kind kind) { }

    private static final Map<String, Field> FIELDS = Map.ofEntries(
            Map.entry("firstName", new Field("c.first_name", Kind.TEXT)),
            Map.entry("lastName", new Field("c.last_name", Kind.TEXT)),
            Map.entry("email", new Field("c.email", Kind.TEXT)),
            Map.entry("phone", new Field("c.phone", Kind.TEXT)),
            Map.entry("locale", new Field("c.locale", Kind.TEXT)),
            Map.entry("timeZone", new Field("c.time_zone", Kind.TEXT)),
            Map.entry("language", new Field("c.locale", Kind.LANGUAGE)),
            Map.entry("postalCode", new Field("c.postal_code", Kind.POSTAL)),
            Map.entry("clinic", new Field("c.clinic_id", Kind.CLINIC)),
            Map.entry("consent.email", new Field("c.email_consent", Kind.CONSENT)),
            Map.entry("consent.sms", new Field("c.sms_consent", Kind.CONSENT)),
            Map.entry("createdAt", new Field("c.created_at", Kind.CREATED)));

    private static final Set<String> TEXT_OPS = Set.of("eq", "ne", "in", "notIn", "startsWith", "contains", "isSet", "isNotSet");

    private final Function<String, AttributeType> attributes;
    private final Clock clock;
    private final List<FieldError> errors = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();
    private final RuleValues read = new RuleValues(errors);
    private int conditions;

    private SegmentQuery(Function<String, AttributeType> attributes, Clock clock) {
        this.attributes = attributes;
        this.clock = clock;
    }

    /** @throws ProblemException 422 listing every problem in the rule */
    public static SqlPredicate compile(SegmentRule rule, Function<String, AttributeType> attributes, Clock clock) {
        SegmentQuery q = new SegmentQuery(attributes, clock);
        String sql = rule == null ? null : q.node(rule, "rule", 1);
        if (rule == null) {
            q.errors.add(FieldError.of("rule", "a rule is required"));
        }
        if (!q.errors.isEmpty()) {
            throw ProblemException.invalid(q.errors);
        }
        return new SqlPredicate(sql, List.copyOf(q.params));
    }

    private String node(SegmentRule rule, String path, int depth) {
        if (rule == null) {
            errors.add(FieldError.of(path, "must be a condition or a group"));
            return "FALSE";
        }
        return rule.isGroup() ? group(rule, path, depth) : condition(rule, path);
    }

    private String group(SegmentRule rule, String path, int depth) {
        if (depth > MAX_DEPTH) {
            errors.add(FieldError.of(path, "groups nest at most " + MAX_DEPTH + " deep"));
            return "FALSE";
        }
        String match = rule.match() == null ? "ALL" : rule.match().toUpperCase(Locale.ROOT);
        if (!match.equals("ALL") && !match.equals("ANY")) {
            errors.add(FieldError.of(path + ".match", "must be ALL or ANY"));
        }
        if (rule.conditions() == null || rule.conditions().isEmpty()) {
            errors.add(FieldError.of(path + ".conditions", "a group needs at least one condition"));
            return "FALSE";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < rule.conditions().size(); i++) {
            parts.add(node(rule.conditions().get(i), path + ".conditions[" + i + "]", depth + 1));
        }
        return "(" + String.join(match.equals("ANY") ? " OR " : " AND ", parts) + ")";
    }

    private String condition(SegmentRule rule, String path) {
        if (++conditions > MAX_CONDITIONS) {
            if (conditions == MAX_CONDITIONS + 1) {
                errors.add(FieldError.of(path, "a rule has at most " + MAX_CONDITIONS + " conditions"));
            }
            return "FALSE";
        }
        String fieldName = rule.field();
        String op = rule.op();
        if (fieldName == null || fieldName.isBlank()) {
            errors.add(FieldError.of(path + ".field", "is required"));
            return "FALSE";
        }
        if (op == null || op.isBlank()) {
            errors.add(FieldError.of(path + ".op", "is required"));
            return "FALSE";
        }
        if (fieldName.startsWith("attr.")) {
            return attribute(fieldName.substring(5), op, rule.value(), path);
        }
        Field field = FIELDS.get(fieldName);
        if (field == null) {
            errors.add(FieldError.of(path + ".field", "unknown field '" + RuleValues.abbreviate(fieldName) + "'; expected one of "
                    + String.join(", ", new java.util.TreeSet<>(FIELDS.keySet())) + " or attr.<name>"));
            return "FALSE";
        }
        return switch (field.kind()) {
            case TEXT, POSTAL -> text(field.column(), op, rule.value(), path, true);
            case LANGUAGE -> language(op, rule.value(), path);
            case CLINIC -> clinic(op, rule.value(), path);
            case CONSENT -> consent(field.column(), op, rule.value(), path);
            case CREATED -> created(op, rule.value(), path);
        };
    }

    private String text(String column, String op, Object value, String path, boolean caseInsensitive) {
        if (!TEXT_OPS.contains(op)) {
            return read.badOp(path, TEXT_OPS);
        }
        String col = caseInsensitive ? "LOWER(" + column + ")" : column;
        switch (op) {
            case "isSet":
                return column + " IS NOT NULL";
            case "isNotSet":
                return column + " IS NULL";
            case "in":
            case "notIn": {
                List<String> values = read.strings(value, path);
                if (values.isEmpty()) {
                    return "FALSE";
                }
                values.forEach(v -> params.add(caseInsensitive ? v.toLowerCase(Locale.ROOT) : v));
                String in = col + " IN (" + Jdbc.placeholders(values.size()) + ")";
                return op.equals("in") ? in : "(" + column + " IS NULL OR NOT " + in + ")";
            }
            default: {
                String v = read.string(value, path);
                if (v == null) {
                    return "FALSE";
                }
                String p = caseInsensitive ? v.toLowerCase(Locale.ROOT) : v;
                switch (op) {
                    case "eq":
                        params.add(p);
                        return col + " = ?";
                    case "ne":
                        params.add(p);
                        return "(" + column + " IS NULL OR " + col + " <> ?)";
                    case "startsWith":
                        params.add(RuleValues.likeEscape(p) + "%");
                        return col + " LIKE ? ESCAPE '\\'";
                    default:
                        params.add("%" + RuleValues.likeEscape(p) + "%");
                        return col + " LIKE ? ESCAPE '\\'";
                }
            }
        }
    }

    private String language(String op, Object value, String path) {
        Set<String> ops = Set.of("eq", "ne", "in", "notIn");
        if (!ops.contains(op)) {
            return read.badOp(path, ops);
        }
        List<String> values = op.startsWith("eq") || op.equals("ne")
                ? java.util.Optional.ofNullable(read.string(value, path)).map(List::of).orElse(List.of())
                : read.strings(value, path);
        if (values.isEmpty()) {
            return "FALSE";
        }
        List<String> parts = new ArrayList<>();
        for (String v : values) {
            String lang = v.toLowerCase(Locale.ROOT);
            if (!lang.matches("[a-z]{2,3}")) {
                errors.add(FieldError.of(path + ".value", "a language is a 2 or 3 letter code like es"));
                return "FALSE";
            }
            params.add(lang);
            params.add(lang + "-%");
            parts.add("LOWER(c.locale) = ? OR LOWER(c.locale) LIKE ?");
        }
        String any = "(" + String.join(" OR ", parts) + ")";
        return op.equals("eq") || op.equals("in") ? any : "NOT " + any;
    }

    private String clinic(String op, Object value, String path) {
        Set<String> ops = Set.of("eq", "ne", "in", "notIn", "isSet", "isNotSet");
        if (!ops.contains(op)) {
            return read.badOp(path, ops);
        }
        if (op.equals("isSet")) {
            return "c.clinic_id IS NOT NULL";
        }
        if (op.equals("isNotSet")) {
            return "c.clinic_id IS NULL";
        }
        List<String> codes = op.equals("eq") || op.equals("ne")
                ? java.util.Optional.ofNullable(read.string(value, path)).map(List::of).orElse(List.of())
                : read.strings(value, path);
        if (codes.isEmpty()) {
            return "FALSE";
        }
        codes.forEach(code -> params.add(code.toLowerCase(Locale.ROOT)));
        String in = "c.clinic_id IN (SELECT cl.id FROM clinic cl WHERE cl.code IN (" + Jdbc.placeholders(codes.size()) + "))";
        return op.equals("eq") || op.equals("in") ? in : "(c.clinic_id IS NULL OR NOT " + in + ")";
    }

    private String consent(String column, String op, Object value, String path) {
        Set<String> ops = Set.of("eq", "ne", "in", "notIn");
        if (!ops.contains(op)) {
            return read.badOp(path, ops);
        }
        List<String> values = op.equals("eq") || op.equals("ne")
                ? java.util.Optional.ofNullable(read.string(value, path)).map(List::of).orElse(List.of())
                : read.strings(value, path);
        for (String v : values) {
            try {
                params.add(ConsentState.valueOf(v.toUpperCase(Locale.ROOT)).name());
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of(path + ".value", "consent is one of NONE, PENDING, OPTED_IN, OPTED_OUT"));
                return "FALSE";
            }
        }
        if (values.isEmpty()) {
            return "FALSE";
        }
        String in = column + " IN (" + Jdbc.placeholders(values.size()) + ")";
        return op.equals("eq") || op.equals("in") ? in : "NOT " + in;
    }

    private String created(String op, Object value, String path) {
        Set<String> ops = Set.of("before", "after", "withinDays");
        if (!ops.contains(op)) {
            return read.badOp(path, ops);
        }
        if (op.equals("withinDays")) {
            Integer days = read.days(value, path);
            if (days == null) {
                return "FALSE";
            }
            params.add(clock.instant().minus(java.time.Duration.ofDays(days)));
            return "c.created_at >= ?";
        }
        LocalDate date = read.date(value, path);
        if (date == null) {
            return "FALSE";
        }
        if (op.equals("before")) {
            params.add(date.atStartOfDay(ZoneOffset.UTC).toInstant());
            return "c.created_at < ?";
        }
        params.add(date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        return "c.created_at >= ?";
    }

    private String attribute(String name, String op, Object value, String path) {
        if (!AttributeType.NAME.matcher(name).matches()) {
            errors.add(FieldError.of(path + ".field", "attribute names are lower case letters, digits and _"));
            return "FALSE";
        }
        AttributeType type = attributes.apply(name);
        if (type == null) {
            errors.add(FieldError.of(path + ".field", "no contact has an attribute named '" + name + "'"));
            return "FALSE";
        }
        if (op.equals("isSet") || op.equals("isNotSet")) {
            params.add(name);
            String exists = "EXISTS (SELECT 1 FROM contact_attribute a WHERE a.contact_id = c.id AND a.name = ?)";
            return op.equals("isSet") ? exists : "NOT " + exists;
        }
        String column;
        String test;
        switch (type) {
            case STRING -> {
                column = "a.text_value";
                Set<String> ops = Set.of("eq", "ne", "in", "notIn", "startsWith", "contains");
                if (!ops.contains(op)) {
                    return read.badOp(path, RuleValues.union(ops));
                }
                params.add(name);
                boolean negated = op.equals("ne") || op.equals("notIn");
                String positive = negated ? (op.equals("ne") ? "eq" : "in") : op;
                test = text(column, positive, value, path, false);
                String exists = "EXISTS (SELECT 1 FROM contact_attribute a WHERE a.contact_id = c.id AND a.name = ? AND " + test + ")";
                return negated ? "NOT " + exists : exists;
            }
            case NUMBER -> {
                column = "a.number_value";
                Map<String, String> ops = Map.of("eq", "=", "ne", "<>", "gt", ">", "gte", ">=", "lt", "<", "lte", "<=");
                if (!ops.containsKey(op)) {
                    return read.badOp(path, RuleValues.union(ops.keySet()));
                }
                BigDecimal number = read.number(value, path);
                if (number == null) {
                    return "FALSE";
                }
                params.add(name);
                params.add(number);
                test = column + " " + ops.get(op) + " ?";
            }
            default -> {
                column = "a.date_value";
                Set<String> ops = Set.of("eq", "before", "after", "withinDays");
                if (!ops.contains(op)) {
                    return read.badOp(path, RuleValues.union(ops));
                }
                // The value first: a bad one is reported and adds no parameter.
                Integer days = op.equals("withinDays") ? read.days(value, path) : null;
                LocalDate date = !op.equals("withinDays") ? read.date(value, path)
                        : days == null ? null : LocalDate.now(clock).minusDays(days);
                if (date == null) {
                    return "FALSE";
                }
                params.add(name);
                params.add(date);
                test = column + switch (op) {
                    case "withinDays" -> " >= ?";
                    case "eq" -> " = ?";
                    case "before" -> " < ?";
                    default -> " > ?";
                };
            }
        }
        return "EXISTS (SELECT 1 FROM contact_attribute a WHERE a.contact_id = c.id AND a.name = ? AND " + test + ")";
    }
}
