package health.outreach.segment;

import health.outreach.common.FieldError;
import health.outreach.web.Forms;
import health.outreach.web.PageErrors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The segment form both ways: a flat rule as rows ({@code cond.N.field|op|value}) joined by ALL or
 * ANY, or any rule as JSON when it nests groups. A value for {@code in} and {@code notIn} is a
 * comma-separated list. Whatever is typed comes back as typed when the rule is refused.
 */
final class SegmentPageForm {

    static final int MAX_CONDITIONS = 30;
    /** The contact fields a condition can test, with the words a coordinator reads; attributes are added per program. */
    static final Map<String, String> FIELDS = fields();
    /** Each test in words; the rule keeps the short names. */
    static final Map<String, String> OPS = ops();
    private static final Pattern RULE_PATH = Pattern.compile("rule\\.conditions\\[(\\d+)](?:\\.(field|op|value))?");

    private static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("consent.email", "Email consent");
        f.put("consent.sms", "SMS consent");
        f.put("language", "Language");
        f.put("postalCode", "Postal code");
        f.put("timeZone", "Time zone");
        f.put("clinic", "Clinic");
        f.put("createdAt", "Added on");
        f.put("firstName", "First name");
        f.put("lastName", "Last name");
        f.put("email", "Email address");
        f.put("phone", "Phone");
        return Collections.unmodifiableMap(f);
    }

    private static Map<String, String> ops() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("eq", "is");
        o.put("ne", "is not");
        o.put("in", "is one of");
        o.put("notIn", "is none of");
        o.put("startsWith", "starts with");
        o.put("contains", "contains");
        o.put("gt", "is more than");
        o.put("gte", "is at least");
        o.put("lt", "is less than");
        o.put("lte", "is at most");
        o.put("before", "is before");
        o.put("after", "is after");
        o.put("withinDays", "is within the last … days");
        o.put("isSet", "has a value");
        o.put("isNotSet", "has no value");
        return Collections.unmodifiableMap(o);
    }

    /** The field list for this program: the contact fields, then each defined attribute with its type. */
    static Map<String, String> fieldChoices(Map<String, ?> attributes) {
        Map<String, String> all = new LinkedHashMap<>(FIELDS);
        new TreeMap<>(attributes).forEach((name, type) -> all.put("attr." + name, name.replace('_', ' ') + " ("
                + String.valueOf(type).toLowerCase(Locale.ROOT) + ")"));
        return all;
    }

    /** The page's input, in the page's words, for a field the rule's check named. */
    static PageErrors.Target target(String field, boolean rows) {
        if (field.equals("name")) {
            return new PageErrors.Target("name", "Name");
        }
        Matcher m = RULE_PATH.matcher(field);
        if (rows && m.matches()) {
            int i = Integer.parseInt(m.group(1));
            String part = m.group(2) == null ? "field" : m.group(2);
            String words = switch (part) {
                case "op" -> "test";
                case "value" -> "value";
                default -> "field";
            };
            return new PageErrors.Target("cond." + i + "." + part, "Condition " + (i + 1) + ", " + words);
        }
        return new PageErrors.Target(rows ? "cond.0.field" : "json", rows ? "Conditions" : "Rule as JSON");
    }

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
        v.put("conditions", new ArrayList<>(List.of(row("", "eq", ""))));
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
        boolean nested = flat == null || flat.stream().anyMatch(c -> c.isGroup() || !OPS.containsKey(c.op()));
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
            if (field.isBlank() && text(Forms.first(form, prefix + "value")).isEmpty()) {
                continue; // a row left empty
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
