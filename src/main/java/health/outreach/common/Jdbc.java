package health.outreach.common;

import io.micronaut.data.connection.ConnectionOperations;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Plain JDBC for the statements Micronaut Data cannot express well (batch upserts, INSERT ... SELECT,
 * claims with SKIP LOCKED). Joins the current transaction's connection when there is one, and
 * otherwise borrows a connection (auto-commit) for the one call.
 */
@Singleton
public class Jdbc {

    /** A SQL array parameter ({@code = ANY (?)}): one bind for many keys, one plan whatever their number. */
    public record SqlArray(String elementType, Collection<?> values) {
    }

    public static SqlArray array(String elementType, Collection<?> values) {
        return new SqlArray(elementType, values);
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface ConnectionCallback<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final ConnectionOperations<Connection> connections;

    public Jdbc(ConnectionOperations<Connection> connections) {
        this.connections = connections;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(mapper.map(rs));
                    }
                    return rows;
                }
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    public long queryLong(String sql, Object... params) {
        return queryOne(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    public int update(String sql, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * An UPDATE that answers {@code columns} of the rows it changed (RETURNING on PostgreSQL, a data
     * change delta table on H2: both drivers hand them over as generated keys): which rows a
     * guarded update really changed, in one round trip.
     */
    public <T> List<T> updateReturning(String sql, String[] columns, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, columns)) {
                bind(ps, params);
                ps.executeUpdate();
                List<T> rows = new ArrayList<>();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    while (keys.next()) {
                        rows.add(mapper.map(keys));
                    }
                }
                return rows;
            }
        });
    }

    /** Runs an INSERT and answers the generated {@code id}. */
    public long insert(String sql, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, new String[]{"id"})) {
                bind(ps, params);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key for: " + sql);
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    /** One statement, many parameter rows, sent as a JDBC batch. */
    public int[] batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /** Batch INSERT answering the generated ids in row order. */
    public long[] batchInsert(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new long[0];
        }
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
                long[] ids = new long[rows.size()];
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    int i = 0;
                    while (keys.next() && i < ids.length) {
                        ids[i++] = keys.getLong("id");
                    }
                    if (i != ids.length) {
                        throw new SQLException("expected " + ids.length + " generated keys, got " + i);
                    }
                }
                return ids;
            }
        });
    }

    /**
     * Refreshes PostgreSQL's statistics of a table that just grew a lot (its planner would
     * otherwise plan for the old size). H2 plans without them: nothing to do there.
     */
    public void analyze(String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        if (postgres()) {
            update("ANALYZE " + table);
        }
    }

    private volatile Boolean isPostgres;

    /** Whether the database is PostgreSQL (not H2): for the few statements only PostgreSQL has. */
    public boolean postgres() {
        Boolean postgres = isPostgres;
        if (postgres == null) {
            postgres = withConnection(c -> c.getMetaData().getDatabaseProductName().equals("PostgreSQL"));
            isPostgres = postgres;
        }
        return postgres;
    }

    public <T> T withConnection(ConnectionCallback<T> callback) {
        return connections.executeWrite(status -> {
            try {
                return callback.apply(status.getConnection());
            } catch (SQLException e) {
                throw new DataAccessFailure(e);
            }
        });
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            if (p == null) {
                ps.setObject(index, null);
            } else if (p instanceof Instant instant) {
                ps.setTimestamp(index, Timestamp.from(instant));
            } else if (p instanceof LocalDate date) {
                ps.setDate(index, java.sql.Date.valueOf(date));
            } else if (p instanceof Enum<?> e) {
                ps.setString(index, e.name());
            } else if (p instanceof BigDecimal d) {
                ps.setBigDecimal(index, d);
            } else if (p instanceof SqlArray a) {
                ps.setArray(index, ps.getConnection().createArrayOf(a.elementType(), a.values().toArray()));
            } else {
                ps.setObject(index, p);
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** "?, ?, ?" for an IN list of {@code n} values. */
    public static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Unchecked wrapper so callers inside transactions roll back on SQL failure. */
    public static class DataAccessFailure extends RuntimeException {
        public DataAccessFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        public SQLException sqlException() {
            return (SQLException) getCause();
        }

        /** SQLSTATE 23505: unique violation on both PostgreSQL and H2. */
        public boolean isUniqueViolation() {
            SQLException e = sqlException();
            while (e != null) {
                if ("23505".equals(e.getSQLState())) {
                    return true;
                }
                e = e.getNextException();
            }
            return false;
        }
    }
}
