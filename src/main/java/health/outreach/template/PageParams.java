package health.outreach.template;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;

import java.util.List;

/**
 * Query parameters of the template pages, read as text so that a mistyped link ({@code ?version=two})
 * is a page saying which parameter was wrong rather than a framework error.
 */
final class PageParams {

    private PageParams() {
    }

    static Integer version(String value) {
        Long n = number("version", value);
        if (n != null && (n < 1 || n > Integer.MAX_VALUE)) {
            throw bad("version", "a version number from 1");
        }
        return n == null ? null : n.intValue();
    }

    /** The template a new one starts from ({@code ?from=12}). */
    static Long id(String value) {
        return number("from", value);
    }

    static Long contactId(String value) {
        return number("contactId", value);
    }

    /** A language tag as long as the API accepts; whether it is a real tag is the preview's check. */
    static String locale(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 35) {
            throw bad("locale", "a language tag like en or es-MX");
        }
        return value.strip();
    }

    private static Long number(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw bad(name, "a whole number");
        }
    }

    private static ProblemException bad(String name, String expected) {
        return ProblemException.badRequest("bad-request", "The link's " + name + " is not " + expected,
                List.of(FieldError.of(name, "expected " + expected)));
    }
}
