package health.outreach.common;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inserts many rows into one table: {@code COPY ... FROM STDIN} on PostgreSQL (the production
 * database, several times faster than batched INSERTs), a JDBC batch INSERT anywhere else (H2).
 * Both paths take the same rows; the test suite runs on both databases.
 */
public final class BulkInsert {

    private static final CSVFormat COPY_CSV = CSVFormat.DEFAULT.builder()
            .setNullString("")            // COPY csv: an unquoted empty field is NULL ...
            .setQuoteMode(QuoteMode.ALL_NON_NULL) // ... and a quoted "" is an empty string
            .setRecordSeparator("\n")
            .get();

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
        StringWriter out = new StringWriter(rows.size() * 64);
        try (CSVPrinter printer = new CSVPrinter(out, COPY_CSV)) {
            List<Object> values = new ArrayList<>(columns.size());
            for (Object[] row : rows) {
                values.clear();
                for (Object value : row) {
                    values.add(text(value));
                }
                printer.printRecord(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN WITH (FORMAT csv)";
        try {
            pg.getCopyAPI().copyIn(sql, new StringReader(out.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
