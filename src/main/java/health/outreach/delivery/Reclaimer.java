package health.outreach.delivery;

import health.outreach.events.EventLog;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.events.Counters;
import health.outreach.events.Metric;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Returns the claims of dispatchers whose heartbeat went stale (a node died mid-send) to the outbox;
 * what such a node had on the wire is flagged as a possible duplicate. Run by the periodic sweep on
 * one node at a time; it reads and writes rows only, so running it twice does no harm.
 */
@Singleton
public class Reclaimer {

    private static final Logger LOG = LoggerFactory.getLogger(Reclaimer.class);
    private static final String LEASE_EXPIRED =
            "{\"reason\":\"the sending node stopped while this message was on the wire; it is sent again and may arrive twice\"}";

    private final Jdbc jdbc;
    private final DispatchSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final Counters counters;
    private final Clock clock;
    private final EventLog events;

    public Reclaimer(Jdbc jdbc, DispatchSettings settings, TransactionOperations<Connection> transactions,
                     Counters counters, Clock clock, EventLog events) {
        this.events = events;
        this.jdbc = jdbc;
        this.settings = settings;
        this.transactions = transactions;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * The claims of nodes whose heartbeat went stale (or that never had one: claims from before
     * heartbeats) go back to the outbox. The message a dead node's connection had on the wire may
     * have reached the person; it goes out again flagged as a possible duplicate, with an event and a
     * count. The rest was never sent and gets its attempt back. Answers how many messages returned.
     */
    public int reclaimOrphans() {
        Instant now = clock.instant();
        Instant stale = now.minus(settings.orphanAfter());
        return transactions.executeWrite(status -> {
            List<String> dead = jdbc.query("SELECT node_id FROM dispatch_node WHERE heartbeat_at < ?", rs -> rs.getString(1), stale);
            String owners = "(m.lease_owner NOT IN (SELECT node_id FROM dispatch_node WHERE heartbeat_at >= ?))";
            String onWire = "EXISTS (SELECT 1 FROM dispatch_slot s WHERE s.node_id = m.lease_owner AND s.message_id = m.id)";
            List<Long> onTheWire = jdbc.query("SELECT m.id FROM message m WHERE m.status = 'SENDING' AND " + owners + " AND " + onWire,
                    rs -> rs.getLong(1), stale);
            events.recordForMessages("LEASE_EXPIRED", onTheWire, now, LEASE_EXPIRED);
            List<Counters.Increment> duplicates = jdbc.query("SELECT m.campaign_id, m.step_id, m.channel, m.template_version_id "
                    + "FROM message m WHERE m.status = 'SENDING' AND m.campaign_id IS NOT NULL AND " + owners + " AND " + onWire,
                    rs -> new Counters.Increment(rs.getLong(1), rs.getLong(2), Channel.valueOf(rs.getString(3)), rs.getLong(4),
                            LocalDate.ofInstant(now, ZoneOffset.UTC), Metric.POSSIBLE_DUPLICATE, 1), stale);
            int flagged = jdbc.update("UPDATE message m SET status = 'PENDING', lease_owner = NULL, possible_duplicate = TRUE, "
                    + "last_error = 'its node stopped mid-send: sent again, possible duplicate', updated_at = ? "
                    + "WHERE m.status = 'SENDING' AND " + owners + " AND " + onWire, now, stale);
            int unsent = jdbc.update("UPDATE message m SET status = 'PENDING', lease_owner = NULL, attempts = attempts - 1, "
                    + "updated_at = ? WHERE m.status = 'SENDING' AND " + owners, now, stale);
            if (!dead.isEmpty()) {
                Jdbc.SqlArray nodes = Jdbc.array("varchar", dead);
                jdbc.update("DELETE FROM dispatch_slot WHERE node_id = ANY (?)", nodes);
                jdbc.update("DELETE FROM dispatch_node WHERE node_id = ANY (?)", nodes);
            }
            counters.add(duplicates);
            if (flagged + unsent > 0) {
                LOG.warn("Returned {} messages of stopped dispatchers {} to the outbox; {} were on the wire and may arrive twice",
                        flagged + unsent, dead, flagged);
            }
            return flagged + unsent;
        });
    }
}
