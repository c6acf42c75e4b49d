package health.outreach.segment;

import health.outreach.common.FieldError;
import health.outreach.web.Forms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The segment form both ways: a flat rule as rows ({@code cond.N.field|op|value}) joined by ALL or
 * ANY, or any rule as JSON when it nests groups. A value for {@code in} and {@code notIn} is a
 * comma-separated list. Whatever is typed comes back as typed when the rule is refused.
 */
final class SegmentPageForm {

    static final int MAX_CONDITIONS = 30;
    /** Suggested fields; {@code attr.<name>} reaches any defined attribute. */
    static final List<String> FIELDS = List.of("consent.email", "consent.sms", "language", "locale", "postalCode", "timeZone",
            "clinic", "createdAt", "firstName", "lastName", "email", "phone", "attr.age_band", "attr.referral_date");
    static final List<String> OPS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "startsWith", "contains",
            "isSet", "isNotSet", "before", "after", "withinDays");

    private SegmentPageForm() {
    }

    record Parsed(Map<String, Object> values, SegmentRule rule, List<FieldError> errors) {
    }

    static Map<String, Object> blank() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", "");
        v.put("description", "");
        v.put("mode", "rows");
        v.put("match", "ALL");
        v.put("json", "");
        v.put("conditions", new ArrayList<>(List.of(row("consent.email", "eq", "OPTED_IN"))));
        return v;
    }

    static Map<String, Object> of(SegmentView s, SegmentService service) {
        Map<String, Object> v = blank();
        v.put("name", s.name());
        v.put("description", s.description() == null ? "" : s.description());
        v.put("json", service.toJson(s.rule()));
        List<Map<String, String>> rows = new ArrayList<>();
        SegmentRule rule = s.rule();
        List<SegmentRule> flat = rule.isGroup() ? rule.conditions() : List.of(rule);
        boolean nested = flat == null || flat.stream().anyMatch(c -> c.isGroup() || !OPS.contains(c.op()));
        if (nested) {
            v.put("mode", "json");
        } else {
            v.put("match", rule.isGroup() && "ANY".equalsIgnoreCase(rule.match()) ? "ANY" : "ALL");
            flat.forEach(c -> rows.add(row(c.field(), c.op(), valueText(c.value()))));
            v.put("conditions", rows);
        }
        return v;
    }

    static Parsed parse(Map<String, List<String>> form, boolean addCondition, SegmentService service) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (String f : List.of("name", "description", "mode", "match", "json")) {
            String value = Forms.first(form, f);
            v.put(f, value == null ? "" : value.strip());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        List<SegmentRule> conditions = new ArrayList<>();
        for (int i = 0; i < MAX_CONDITIONS; i++) {
            String prefix = "cond." + i + ".";
            String field = Forms.first(form, prefix + "field");
            if (field == null || "yes".equals(Forms.first(form, prefix + "remove"))) {
                continue;
            }
            String op = text(Forms.first(form, prefix + "op"));
            String value = text(Forms.first(form, prefix + "value"));
            rows.add(row(field.strip(), op, value));
            conditions.add(new SegmentRule(null, null, field.strip(), op, value(op, value)));
        }
        if (addCondition && rows.size() < MAX_CONDITIONS) {
            rows.add(row("", "eq", ""));
        }
        v.put("conditions", rows);
        List<FieldError> errors = new ArrayList<>();
        SegmentRule rule;
        if ("json".equals(v.get("mode"))) {
            rule = service.readRule((String) v.get("json"), errors);
        } else {
            rule = new SegmentRule("ANY".equals(v.get("match")) ? "ANY" : "ALL", conditions, null, null, null);
        }
        return new Parsed(v, rule, errors);
    }

    private static Object value(String op, String value) {
        return switch (op) {
            case "isSet", "isNotSet" -> null;
            case "in", "notIn" -> Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            case "withinDays" -> wholeNumber(value); // the rule takes a number of days, the form has text
            default -> value;
        };
    }

    private static Object wholeNumber(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return value; // reported by the rule's own check, with its path
        }
    }

    private static String valueText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static Map<String, String> row(String field, String op, String value) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("field", field);
        row.put("op", op);
        row.put("value", value);
        return row;
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }
}
