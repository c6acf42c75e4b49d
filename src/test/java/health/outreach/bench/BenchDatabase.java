package health.outreach.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A PostgreSQL database made for one benchmark run and dropped afterwards. */
final class BenchDatabase implements AutoCloseable {

    static final String SERVER = env("OUTREACH_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = env("OUTREACH_BENCH_PG_USER", "postgres");
    static final String PASSWORD = env("OUTREACH_BENCH_PG_PASSWORD", "");

    final String name;

    private BenchDatabase(String name) {
        this.name = name;
    }

    static BenchDatabase create() throws SQLException {
        String name = "outreach_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        return new BenchDatabase(name);
    }

    /** The JDBC URL the service should use (batched inserts rewritten, as README recommends for production). */
    String url() {
        return SERVER + name + "?reWriteBatchedInserts=true";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
