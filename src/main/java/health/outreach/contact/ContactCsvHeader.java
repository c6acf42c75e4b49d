package health.outreach.contact;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import org.apache.commons.csv.CSVRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The columns of a contact CSV: which cell holds what. Unknown or repeated columns refuse the file. */
final class ContactCsvHeader {

    static final List<String> COLUMNS = List.of("external_id", "first_name", "last_name", "email", "phone", "locale",
            "time_zone", "postal_code", "clinic", "consent_email", "consent_sms", "consent_source", "consent_wording");
    private static final Set<String> KNOWN = Set.copyOf(COLUMNS);

    /** API field names (as the normaliser reports them) to CSV column names. */
    private static final Map<String, String> FIELD_TO_COLUMN = Map.of(
            "externalId", "external_id", "firstName", "first_name", "lastName", "last_name",
            "timeZone", "time_zone", "postalCode", "postal_code");

    private final Map<String, Integer> index;
    private final Map<String, Integer> attributes;
    private final int width;

    private ContactCsvHeader(Map<String, Integer> index, Map<String, Integer> attributes, int width) {
        this.index = index;
        this.attributes = attributes;
        this.width = width;
    }

    static ContactCsvHeader parse(CSVRecord header) {
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, Integer> attributes = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                errors.add(FieldError.atRow(1, "column " + (i + 1), "the header cell is empty"));
            } else if (name.startsWith("attr.")) {
                String attribute = name.substring(5);
                if (!AttributeType.NAME.matcher(attribute).matches()) {
                    errors.add(FieldError.atRow(1, name, "attribute names are lower case letters, digits and _, starting with a letter"));
                } else if (attributes.putIfAbsent(attribute, i) != null) {
                    errors.add(FieldError.atRow(1, name, "the column appears twice"));
                }
            } else if (!KNOWN.contains(name)) {
                errors.add(FieldError.atRow(1, name, "unknown column; expected one of " + String.join(", ", COLUMNS)
                        + " or attr.<name>"));
            } else if (index.putIfAbsent(name, i) != null) {
                errors.add(FieldError.atRow(1, name, "the column appears twice"));
            }
        }
        if (errors.isEmpty() && !index.containsKey("email") && !index.containsKey("phone")) {
            errors.add(FieldError.atRow(1, null, "the header needs an email or a phone column"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("malformed-csv", "The header row is not usable: "
                    + errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return new ContactCsvHeader(index, attributes, header.size());
    }

    int width() {
        return width;
    }

    Set<String> attributeNames() {
        return attributes.keySet();
    }

    String cell(CSVRecord record, String column) {
        Integer i = index.get(column);
        return i == null || i >= record.size() ? null : record.get(i);
    }

    String attribute(CSVRecord record, String name) {
        Integer i = attributes.get(name);
        return i == null || i >= record.size() ? null : record.get(i);
    }

    ContactInput input(CSVRecord r) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (String name : attributes.keySet()) {
            String value = attribute(r, name);
            // A blank cell leaves the attribute as it is (it does not erase it).
            if (value != null && !value.isBlank()) {
                attrs.put(name, value);
            }
        }
        return new ContactInput(cell(r, "external_id"), cell(r, "first_name"), cell(r, "last_name"), cell(r, "email"),
                cell(r, "phone"), cell(r, "locale"), cell(r, "time_zone"), cell(r, "postal_code"), cell(r, "clinic"), attrs);
    }

    static String column(String field) {
        if (field == null) {
            return null;
        }
        if (field.startsWith("attributes.")) {
            return "attr." + field.substring("attributes.".length());
        }
        return FIELD_TO_COLUMN.getOrDefault(field, field);
    }
}
