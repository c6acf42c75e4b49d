package health.outreach.common;

import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;

/**
 * Inserts many rows into one table: {@code COPY ... FROM STDIN} on PostgreSQL (the production
 * database, several times faster than batched INSERTs), a JDBC batch INSERT anywhere else (H2).
 * Both paths take the same rows; the test suite runs on both databases.
 */
public final class BulkInsert {

    private BulkInsert() {
    }

    public static void insert(Jdbc jdbc, String table, List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.withConnection(connection -> {
            PGConnection pg = postgres(connection);
            if (pg != null) {
                copy(pg, table, columns, rows);
            } else {
                batch(jdbc, table, columns, rows);
            }
            return null;
        });
    }

    private static PGConnection postgres(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class) ? connection.unwrap(PGConnection.class) : null;
    }

    private static void copy(PGConnection pg, String table, List<String> columns, List<Object[]> rows) throws SQLException {
        StringBuilder out = new StringBuilder(rows.size() * 96);
        Instant lastInstant = null;
        String lastInstantText = null;
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append('\t');
                }
                Object value = row[i];
                if (value instanceof Instant instant) {
                    // rows of one batch usually share their timestamps, and Instant.toString is not cheap
                    if (!instant.equals(lastInstant)) {
                        lastInstant = instant;
                        lastInstantText = instant.toString();
                    }
                    out.append(lastInstantText);
                } else {
                    appendText(out, text(value));
                }
            }
            out.append('\n');
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        try {
            pg.getCopyAPI().copyIn(sql, new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One field in COPY's text format: {@code \N} is NULL; backslash, tab, newline and CR are escaped. */
    static void appendText(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        int first = firstSpecial(value);
        if (first < 0) {
            out.append(value); // the common case: nothing to escape
            return;
        }
        out.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    private static int firstSpecial(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static void batch(Jdbc jdbc, String table, List<String> columns, List<Object[]> rows) {
        jdbc.batch("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")", rows);
    }

    /** The COPY text of a value, matching what {@link Jdbc#bind} would send. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant.toString(); // ISO-8601 in UTC, accepted by timestamptz
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return value.toString();
    }
}
