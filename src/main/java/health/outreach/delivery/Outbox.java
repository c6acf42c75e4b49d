package health.outreach.delivery;

import health.outreach.common.Jdbc;
import health.outreach.common.RandomTokens;
import health.outreach.program.ProgramService;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox's claim: due PENDING messages of running campaigns (or transactional replies), locked
 * with SKIP LOCKED so dispatchers on every node take disjoint batches, then leased to this node.
 * The lease, not a lock, protects the send: a node that dies leaves SENDING rows whose lease the
 * sweep returns to PENDING.
 */
@Singleton
public class Outbox {

    private static final String DUE = """
            SELECT m.id FROM message m
            WHERE m.status = 'PENDING' AND m.due_at <= ?
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

    /** Call inside a transaction: locks, leases and answers up to {@code limit} due messages. */
    public List<Long> claim(String node, Instant now, Instant leaseUntil, int limit) {
        List<Long> ids = jdbc.query(DUE, rs -> rs.getLong(1), now, limit);
        if (ids.isEmpty()) {
            return ids;
        }
        List<Object[]> rows = new ArrayList<>(ids.size());
        for (Long id : ids) {
            rows.add(new Object[]{node, leaseUntil, RandomTokens.newToken(), now, id});
        }
        jdbc.batch("UPDATE message SET status = 'SENDING', lease_owner = ?, lease_until = ?, attempts = attempts + 1, "
                + "token = COALESCE(token, ?), updated_at = ? WHERE id = ?", rows);
        return ids;
    }

    public List<Claimed> load(List<Long> ids) {
        return jdbc.query(Claimed.SELECT, Claimed::map, program.current().defaultTimeZone(), Jdbc.array("bigint", ids));
    }
}
