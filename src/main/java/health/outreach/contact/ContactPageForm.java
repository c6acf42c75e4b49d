package health.outreach.contact;

import health.outreach.common.FieldError;
import health.outreach.web.Forms;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The contact form of the admin UI, both ways: the strings the page shows (so a refused form comes
 * back exactly as typed) and the {@link ContactInput} the service validates. Attributes are typed as
 * {@code name=value} lines; their values are checked by the same normaliser as the API and the CSV
 * import, so the form only reports what it cannot read as a line.
 */
final class ContactPageForm {

    static final List<String> FIELDS = List.of("firstName", "lastName", "email", "phone", "locale", "timeZone", "postalCode");
    /** The attributes box is bounded before it is split: the normaliser allows 100 of 1,000 characters. */
    static final int MAX_ATTRIBUTES_CHARS = 120_000;

    private ContactPageForm() {
    }

    record Parsed(Map<String, String> values, Map<String, Object> attributes, List<FieldError> errors) {

        /**
         * What the service takes. The form has no external id or clinic field: an edit keeps the
         * saved ones (a PUT with them left out would clear them), a new contact has none.
         */
        ContactInput input(ContactView existing) {
            return new ContactInput(existing == null ? null : existing.externalId(), values.get("firstName"),
                    values.get("lastName"), values.get("email"), values.get("phone"), values.get("locale"),
                    values.get("timeZone"), values.get("postalCode"), existing == null ? null : existing.clinic(), attributes);
        }
    }

    static Map<String, String> blank(String defaultLocale) {
        Map<String, String> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, ""));
        v.put("locale", defaultLocale);
        v.put("attributes", "");
        return v;
    }

    static Map<String, String> of(ContactView c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("firstName", orEmpty(c.firstName()));
        v.put("lastName", orEmpty(c.lastName()));
        v.put("email", orEmpty(c.email()));
        v.put("phone", orEmpty(c.phone()));
        v.put("locale", orEmpty(c.locale()));
        v.put("timeZone", orEmpty(c.timeZone()));
        v.put("postalCode", orEmpty(c.postalCode()));
        v.put("attributes", attributeLines(c.attributes()));
        return v;
    }

    static Parsed parse(Map<String, List<String>> form) {
        Map<String, String> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, text(form, f)));
        String box = Forms.first(form, "attributes");
        box = box == null ? "" : box;
        v.put("attributes", box.length() > MAX_ATTRIBUTES_CHARS ? box.substring(0, MAX_ATTRIBUTES_CHARS) : box);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (box.length() > MAX_ATTRIBUTES_CHARS) {
            errors.add(FieldError.of("attributes", "at most " + MAX_ATTRIBUTES_CHARS + " characters"));
        } else {
            attributes = attributes(box, errors);
        }
        return new Parsed(v, attributes, errors);
    }

    /** One {@code name=value} per line; blank lines are skipped; an empty value leaves the attribute out. */
    static Map<String, Object> attributes(String box, List<FieldError> errors) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        String[] lines = box.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                errors.add(FieldError.of("attributes", "line " + (i + 1) + ": expected name=value, such as age_band=45-64"));
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (attributes.containsKey(name)) {
                errors.add(FieldError.of("attributes." + name, "line " + (i + 1) + ": the attribute is given twice"));
                continue;
            }
            // An empty value means "no value": null is how ContactInput says so (a PUT then drops it).
            attributes.put(name, value.isEmpty() ? null : value);
        }
        return attributes;
    }

    static String attributeLines(Map<String, Object> attributes) {
        return attributes.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof BigDecimal d ? d.toPlainString() : String.valueOf(e.getValue())))
                .collect(Collectors.joining("\n"));
    }

    private static String text(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.strip();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
