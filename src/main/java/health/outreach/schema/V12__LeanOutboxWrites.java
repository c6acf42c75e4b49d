package health.outreach.schema;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes each message cheaper to write: a message row is inserted by fan-out and updated twice by
 * dispatch (claim, then outcome), and a status change cannot be a HOT update, so every write pays
 * a trigger per foreign key and an entry in every index.
 * <p>
 * On both databases, drops the foreign keys no delete path needs: message → contact, enrollment and
 * template_version, and tracked_link → message. None of those rows is ever deleted (erasure blanks
 * a contact; enrollments, versions and messages are history), and each is written next to what it
 * references. The keys to campaign and campaign_step stay: deleting a draft campaign relies on them.
 * <p>
 * On PostgreSQL, indexes that only some rows need become partial, so a row enters them only while
 * it matters: the claim index holds PENDING rows only, a new lease index holds SENDING rows only
 * (the sweep's lookup), the provider-id and token indexes skip rows that have none yet, and
 * event.dedupe_key skips the dispatcher's own events, which have none. H2 (the embedded default)
 * has no partial indexes and keeps the full ones; its lease lookup uses message_due's status.
 * <p>
 * A Java migration because the constraints were declared inline and H2 and PostgreSQL name them
 * differently (read from INFORMATION_SCHEMA), and because the index half is PostgreSQL's alone.
 */
public class V12__LeanOutboxWrites extends BaseJavaMigration {

    private static final List<String[]> UNCHECKED_REFERENCES = List.of(
            new String[]{"message", "contact_id"}, new String[]{"message", "enrollment_id"},
            new String[]{"message", "template_version_id"}, new String[]{"tracked_link", "message_id"});

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> ddl = new ArrayList<>();
        for (String[] ref : UNCHECKED_REFERENCES) {
            ddl.add("ALTER TABLE " + ref[0] + " DROP CONSTRAINT \"" + constraint(c, ref[0], ref[1], "FOREIGN KEY") + "\"");
        }
        if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            ddl.addAll(List.of(
                    "DROP INDEX message_due",
                    "CREATE INDEX message_due ON message (due_at) WHERE status = 'PENDING'",
                    "CREATE INDEX message_lease ON message (lease_until) WHERE status = 'SENDING'",
                    "DROP INDEX message_provider",
                    "CREATE INDEX message_provider ON message (provider_id) WHERE provider_id IS NOT NULL",
                    "ALTER TABLE message DROP CONSTRAINT \"" + constraint(c, "message", "token", "UNIQUE") + "\"",
                    "CREATE UNIQUE INDEX message_token ON message (token) WHERE token IS NOT NULL",
                    "ALTER TABLE event DROP CONSTRAINT \"" + constraint(c, "event", "dedupe_key", "UNIQUE") + "\"",
                    "CREATE UNIQUE INDEX event_dedupe ON event (dedupe_key) WHERE dedupe_key IS NOT NULL"));
        }
        try (Statement s = c.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
        }
    }

    /** The name of the one constraint of {@code type} on exactly that column. */
    private static String constraint(Connection c, String table, String column, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT tc.constraint_name FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage k
                  ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
                WHERE tc.constraint_type = ? AND tc.table_schema = CURRENT_SCHEMA AND tc.table_name = ? AND k.column_name = ?""")) {
            ps.setString(1, type);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                if (names.size() != 1) {
                    throw new IllegalStateException("expected one " + type + " on " + table + "." + column + ", found " + names);
                }
                return names.get(0);
            }
        }
    }
}
