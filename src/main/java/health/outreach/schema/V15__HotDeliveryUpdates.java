package health.outreach.schema;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL only (H2 has neither partial indexes nor fillfactor):
 * <ul>
 * <li>The sweep finds a dead node's claims by owner: the lease index holds SENDING rows by
 * {@code lease_owner} instead of by lease end (claims no longer carry one).</li>
 * <li>Each channel claims on its own, in (due, id) order from where its last claim ended: the due
 * index leads with the channel (an SMS claim must not walk a million due emails) and carries the id.</li>
 * <li>An enrollment is written once at fan-out and updated once, when its first message is sent;
 * free room on its pages lets that update be a HOT update (no new index entries).</li>
 * </ul>
 */
public class V15__HotDeliveryUpdates extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            return;
        }
        try (Statement s = c.createStatement()) {
            for (String ddl : List.of(
                    "DROP INDEX message_lease",
                    "CREATE INDEX message_lease ON message (lease_owner) WHERE status = 'SENDING'",
                    "DROP INDEX message_due",
                    "CREATE INDEX message_due ON message (channel, due_at, id) WHERE status = 'PENDING'",
                    "ALTER TABLE enrollment SET (fillfactor = 85)")) {
                s.execute(ddl);
            }
        }
    }
}
