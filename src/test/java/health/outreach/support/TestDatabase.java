package health.outreach.support;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Gives every test application context a database of its own, created before the pool and Flyway
 * see the configuration: an in-memory H2 in PostgreSQL mode by default, or a freshly created
 * PostgreSQL database (dropped when the context closes) when {@code OUTREACH_TEST_DB=postgres}.
 * Tests never depend on what an earlier run or another test class left behind.
 */
@Singleton
@Requires(env = Environment.TEST)
@Requires(property = TestDatabase.JOIN, notEquals = "true")
public class TestDatabase implements BeanCreatedEventListener<DatasourceConfiguration> {

    /**
     * Set on a second application context that must share the first one's database (a second node):
     * it then keeps the datasource URL it was given instead of getting a database of its own.
     */
    public static final String JOIN = "outreach.test.join-database";
    public static final boolean POSTGRES = "postgres".equalsIgnoreCase(System.getenv("OUTREACH_TEST_DB"));
    private static final String PG_SERVER = envOr("OUTREACH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String PG_USER = envOr("OUTREACH_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = envOr("OUTREACH_TEST_PG_PASSWORD", "");

    private String createdDatabase;

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String name = "outreach_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (POSTGRES) {
            admin("CREATE DATABASE " + name);
            createdDatabase = name;
            config.setJdbcUrl(PG_SERVER + name);
            config.setUsername(PG_USER);
            config.setPassword(PG_PASSWORD);
            config.setDriverClassName("org.postgresql.Driver");
        } else {
            config.setJdbcUrl("jdbc:h2:mem:" + name
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            config.setUsername("sa");
            config.setPassword("");
            config.setDriverClassName("org.h2.Driver");
        }
        LoggerFactory.getLogger(TestDatabase.class).info("Test database: {}", config.getJdbcUrl());
        return config;
    }

    @PreDestroy
    void drop() {
        if (createdDatabase != null) {
            admin("DROP DATABASE IF EXISTS " + createdDatabase + " WITH (FORCE)");
        }
    }

    public static boolean isPostgres() {
        return POSTGRES;
    }

    /** A new, empty PostgreSQL database for a process outside this JVM (the packaged jar); answers its JDBC URL. */
    public static String createPostgresDatabase(String name) {
        admin("CREATE DATABASE " + name);
        return PG_SERVER + name;
    }

    public static void dropPostgresDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String postgresUser() {
        return PG_USER;
    }

    public static String postgresPassword() {
        return PG_PASSWORD;
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG_SERVER + "postgres", PG_USER, PG_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests is unreachable at " + PG_SERVER + ": " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
