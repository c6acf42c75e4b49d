package health.outreach.delivery;

import health.outreach.channel.Channel;
import health.outreach.common.Jdbc;
import health.outreach.program.ProgramService;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * The outbox's claim: due PENDING messages of running campaigns (or transactional replies) of one
 * channel, locked with SKIP LOCKED so dispatchers on every node take disjoint batches, then owned by
 * this node. The node's heartbeat, not a lock, protects the send: the messages of a node that dies
 * stay SENDING until the sweep finds its heartbeat stale and returns them.
 */
@Singleton
public class Outbox {

    private static final String DUE = """
            SELECT m.id FROM message m
            WHERE m.status = 'PENDING' AND m.due_at <= ?%s
              AND (m.campaign_id IS NULL OR m.campaign_id IN (SELECT id FROM campaign WHERE status = 'RUNNING'))
            ORDER BY m.due_at
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";

    private final Jdbc jdbc;
    private final ProgramService program;

    public Outbox(Jdbc jdbc, ProgramService program) {
        this.jdbc = jdbc;
        this.program = program;
    }

    /**
     * Call inside a transaction: locks and takes up to {@code limit} due messages of {@code channel}
     * (any channel when null) for {@code node}. Each claim counts as an attempt; a message handed
     * back unsent gets it back.
     */
    public List<Long> claim(String node, Instant now, int limit, @Nullable Channel channel) {
        List<Long> ids = channel == null
                ? jdbc.query(DUE.formatted(""), rs -> rs.getLong(1), now, limit)
                : jdbc.query(DUE.formatted(" AND m.channel = ?"), rs -> rs.getLong(1), now, channel.name(), limit);
        if (!ids.isEmpty()) {
            jdbc.update("UPDATE message SET status = 'SENDING', lease_owner = ?, lease_until = NULL, attempts = attempts + 1, "
                    + "first_attempted_at = COALESCE(first_attempted_at, ?), updated_at = ? WHERE id = ANY (?)",
                    node, now, now, Jdbc.array("bigint", ids));
        }
        return ids;
    }

    public List<Claimed> load(List<Long> ids) {
        // in due order, as claimed: the rows' physical order depends on how they were last updated
        return jdbc.query(Claimed.SELECT + " ORDER BY m.due_at, m.id", Claimed::map, program.current().defaultTimeZone(),
                Jdbc.array("bigint", ids));
    }
}
