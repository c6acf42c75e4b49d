package health.outreach.contact;

import health.outreach.common.LanguageTags;
import health.outreach.common.Zones;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import health.outreach.common.FieldError;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates and normalises a contact. Pure: the API and the CSV importer share it, so a value
 * accepted by one is accepted by the other. Field names in errors are the API's
 * (email, timeZone, attributes.age_band); the importer maps them to its column names.
 */
public final class ContactNormalizer {

    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");
    private static final Pattern POSTAL = Pattern.compile("[A-Z0-9][A-Z0-9 -]{1,9}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String defaultRegion;
    private final String defaultLocale;

    public ContactNormalizer(String defaultRegion, String defaultLocale) {
        this.defaultRegion = defaultRegion;
        this.defaultLocale = defaultLocale;
    }

    public record Result(NormalizedContact contact, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * @param attributeTypes the declared type of an attribute name, or null when it is new
     *                       (its type is then inferred from the value)
     */
    public Result normalize(ContactInput in, Function<String, AttributeType> attributeTypes) {
        List<FieldError> errors = new ArrayList<>();
        String externalId = text(in.externalId(), "externalId", 100, errors);
        String firstName = text(in.firstName(), "firstName", 100, errors);
        String lastName = text(in.lastName(), "lastName", 100, errors);
        String email = email(in.email(), errors);
        String phone = phone(in.phone(), errors);
        if (blank(in.email()) && blank(in.phone())) {
            errors.add(FieldError.of("email", "a contact needs an email address or a phone number"));
        }
        String locale = locale(in.locale(), errors);
        String timeZone = timeZone(in.timeZone(), errors);
        String postalCode = postalCode(in.postalCode(), errors);
        String clinic = blank(in.clinic()) ? null : in.clinic().trim().toLowerCase(Locale.ROOT);
        Map<String, NormalizedContact.TypedValue> attributes = attributes(in.attributes(), attributeTypes, errors);
        NormalizedContact contact = new NormalizedContact(externalId, firstName, lastName, email, phone, locale,
                timeZone, postalCode, clinic, attributes);
        return new Result(contact, errors);
    }

    /** Normalises an email the way contacts store it, or null when it is not a valid address. */
    public String normalizeEmail(String raw) {
        List<FieldError> errors = new ArrayList<>();
        String email = email(raw, errors);
        return errors.isEmpty() ? email : null;
    }

    /** Normalises a phone number to E.164, or null when it is not a valid number. */
    public String normalizePhone(String raw) {
        List<FieldError> errors = new ArrayList<>();
        String phone = phone(raw, errors);
        return errors.isEmpty() ? phone : null;
    }

    private static String text(String raw, String field, int max, List<FieldError> errors) {
        if (blank(raw)) {
            return null;
        }
        String value = raw.strip();
        if (value.length() > max) {
            errors.add(FieldError.of(field, "must be at most " + max + " characters"));
            return null;
        }
        if (CONTROL.matcher(value).find()) {
            errors.add(FieldError.of(field, "must not contain line breaks or control characters"));
            return null;
        }
        return value;
    }

    private static String email(String raw, List<FieldError> errors) {
        if (blank(raw)) {
            return null;
        }
        String value = raw.strip();
        String problem = emailProblem(value);
        if (problem != null) {
            errors.add(FieldError.of("email", "'" + abbreviate(value) + "' is not a valid email address: " + problem));
            return null;
        }
        int at = value.lastIndexOf('@');
        return value.substring(0, at).toLowerCase(Locale.ROOT) + "@"
                + IDN.toASCII(value.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    }

    private static String emailProblem(String value) {
        if (value.length() > 254) {
            return "longer than 254 characters";
        }
        int at = value.indexOf('@');
        if (at < 0 || at != value.lastIndexOf('@')) {
            return "it needs exactly one @";
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (local.isEmpty() || local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
            return "the part before @ is not allowed";
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "the domain is not valid";
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 || !TLD.matcher(labels[labels.length - 1]).matches()) {
            return "the domain needs a top-level domain such as .org";
        }
        for (String label : labels) {
            if (!DOMAIN_LABEL.matcher(label).matches()) {
                return "the domain is not valid";
            }
        }
        try {
            InternetAddress parsed = new InternetAddress(value, true);
            parsed.validate();
        } catch (AddressException e) {
            return "it is not an RFC 5322 address";
        }
        return null;
    }

    private String phone(String raw, List<FieldError> errors) {
        if (blank(raw)) {
            return null;
        }
        String value = raw.strip();
        if (value.length() > 32 || value.chars().anyMatch(Character::isLetter)) {
            errors.add(FieldError.of("phone", "'" + abbreviate(value) + "' is not a phone number"));
            return null;
        }
        try {
            Phonenumber.PhoneNumber number = phones.parse(value, defaultRegion);
            if (!phones.isValidNumber(number)) {
                errors.add(FieldError.of("phone", "'" + value + "' is not a valid phone number for its country"));
                return null;
            }
            return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            errors.add(FieldError.of("phone", "'" + abbreviate(value) + "' is not a phone number"));
            return null;
        }
    }

    private String locale(String raw, List<FieldError> errors) {
        if (blank(raw)) {
            return defaultLocale;
        }
        String tag = LanguageTags.canonical(raw);
        if (tag == null) {
            errors.add(FieldError.of("locale", LanguageTags.problem(raw.strip())));
            return defaultLocale;
        }
        return tag;
    }

    private static String timeZone(String raw, List<FieldError> errors) {
        if (blank(raw)) {
            return null;
        }
        String value = raw.strip();
        if (!Zones.isRegion(value)) {
            errors.add(FieldError.of("timeZone", Zones.problem(value)));
            return null;
        }
        return value;
    }

    private static String postalCode(String raw, List<FieldError> errors) {
        if (blank(raw)) {
            return null;
        }
        String value = raw.strip().toUpperCase(Locale.ROOT);
        if (!POSTAL.matcher(value).matches()) {
            errors.add(FieldError.of("postalCode", "'" + abbreviate(value) + "' is not a postal code"));
            return null;
        }
        return value;
    }

    private static Map<String, NormalizedContact.TypedValue> attributes(Map<String, Object> raw,
                                                                       Function<String, AttributeType> types,
                                                                       List<FieldError> errors) {
        Map<String, NormalizedContact.TypedValue> result = new LinkedHashMap<>();
        if (raw == null) {
            return result;
        }
        if (raw.size() > 100) {
            errors.add(FieldError.of("attributes", "at most 100 attributes per contact"));
            return result;
        }
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            String name = entry.getKey();
            String field = "attributes." + name;
            if (name == null || !AttributeType.NAME.matcher(name).matches()) {
                errors.add(FieldError.of("attributes." + abbreviate(String.valueOf(name)),
                        "attribute names are lower case letters, digits and _, starting with a letter"));
                continue;
            }
            Object value = entry.getValue();
            if (value == null || (value instanceof String s && s.isBlank())) {
                result.put(name, null);
                continue;
            }
            if (!(value instanceof String) && !(value instanceof Number)) {
                errors.add(FieldError.of(field, "must be text, a number or a date"));
                continue;
            }
            String text = value.toString().strip();
            if (value instanceof Number && text.endsWith(".0")) {
                text = text.substring(0, text.length() - 2);
            }
            AttributeType type = types.apply(name);
            if (type == null) {
                type = AttributeType.infer(text);
            }
            Object parsed = type.parse(text);
            if (parsed == null) {
                errors.add(FieldError.of(field, "'" + abbreviate(text) + "' is not " + type.describe()));
                continue;
            }
            result.put(name, new NormalizedContact.TypedValue(type, parsed));
        }
        return result;
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String abbreviate(String value) {
        String clean = CONTROL.matcher(value).replaceAll("?");
        return clean.length() > 60 ? clean.substring(0, 57) + "..." : clean;
    }
}
