package health.outreach.contact;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** The type of a custom contact attribute, fixed when the attribute is first seen. */
public enum AttributeType {
    STRING, NUMBER, DATE;

    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    // No leading zeros: "02139" is an identifier (a ZIP code), not a number.
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?(0|[1-9]\\d{0,17})(\\.\\d{1,6})?");

    /** Guesses the type of a new attribute from one textual value. */
    public static AttributeType infer(String text) {
        if (ISO_DATE.matcher(text).matches() && parseDate(text) != null) {
            return DATE;
        }
        if (PLAIN_NUMBER.matcher(text).matches()) {
            return NUMBER;
        }
        return STRING;
    }

    /** Parses text into this type's Java value, or null when it does not fit. */
    public Object parse(String text) {
        return switch (this) {
            case STRING -> text.length() <= 1000 ? text : null;
            case NUMBER -> parseNumber(text);
            case DATE -> parseDate(text);
        };
    }

    public String describe() {
        return switch (this) {
            case STRING -> "text of at most 1000 characters";
            case NUMBER -> "a number like 42 or 3.5";
            case DATE -> "a date like 2026-03-31";
        };
    }

    private static BigDecimal parseNumber(String text) {
        try {
            BigDecimal value = new BigDecimal(text.trim());
            return value.abs().compareTo(new BigDecimal("1e18")) < 0 && value.scale() <= 6 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static LocalDate parseDate(String text) {
        if (!ISO_DATE.matcher(text.trim()).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
