package health.outreach.common;

import io.micronaut.core.annotation.Nullable;

/**
 * CSV that people open in spreadsheets, the one writer every export uses (RFC 4180, CRLF line ends).
 * Numbers are written bare, so they stay numbers. Every text cell is quoted and neutralised: a
 * spreadsheet evaluates a cell that starts with {@code = + - @}, a tab or a carriage return as a
 * formula, and one that splits lines on another separator (a semicolon in much of Europe, a tab
 * when pasted) does not see our quotes, so each part of a cell after such a separator becomes a cell
 * of its own. So an apostrophe, which makes the spreadsheet read the rest as text, goes before the
 * cell and before every part after a comma, semicolon, tab or line break that would start a formula,
 * looking past the spaces and quotes a spreadsheet may skip there.
 */
public final class CsvWriter {

    private static final String SEPARATORS = ",;\t\r\n";
    private static final String FORMULA = "=+-@\t\r";

    private final StringBuilder out = new StringBuilder(4096);
    private boolean firstCell = true;

    /** A text cell, quoted and neutralised; {@code null} is an empty cell. */
    public CsvWriter text(@Nullable String value) {
        separator();
        if (value != null) {
            out.append('"').append(neutralise(value).replace("\"", "\"\"")).append('"');
        }
        return this;
    }

    /** A number as a spreadsheet reads one; {@code null}, NaN and infinities are an empty cell. */
    public CsvWriter number(@Nullable Number value) {
        separator();
        boolean finite = !(value instanceof Double d && !Double.isFinite(d)) && !(value instanceof Float f && !Float.isFinite(f));
        if (value != null && finite) {
            out.append(value);
        }
        return this;
    }

    /** One cell: numbers bare, anything else as text. */
    public CsvWriter cell(@Nullable Object value) {
        return value instanceof Number n ? number(n) : text(value == null ? null : value.toString());
    }

    /** A whole line of cells. */
    public CsvWriter row(Object... cells) {
        for (Object c : cells) {
            cell(c);
        }
        return endRow();
    }

    public CsvWriter endRow() {
        out.append("\r\n");
        firstCell = true;
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separator() {
        if (!firstCell) {
            out.append(',');
        }
        firstCell = false;
    }

    /**
     * The text with an apostrophe before it and before each part (after a comma, semicolon, tab or
     * line break) that starts, past spaces and quotes, with {@code = + - @}, a tab or a carriage return.
     */
    public static String neutralise(String value) {
        StringBuilder s = new StringBuilder(value.length() + 8);
        boolean partStarts = true;
        for (int i = 0; i < value.length(); i++) {
            if (partStarts && startsFormula(value, i)) {
                s.append('\'');
            }
            char c = value.charAt(i);
            s.append(c);
            partStarts = SEPARATORS.indexOf(c) >= 0;
        }
        return s.toString();
    }

    private static boolean startsFormula(String value, int from) {
        int i = from;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '"')) {
            i++;
        }
        return i < value.length() && FORMULA.indexOf(value.charAt(i)) >= 0;
    }
}
