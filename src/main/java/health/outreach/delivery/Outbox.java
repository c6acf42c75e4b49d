package health.outreach.delivery;

import health.outreach.common.Jdbc;
import health.outreach.common.PerRowValues;
import health.outreach.common.RandomTokens;
import health.outreach.program.ProgramService;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outbox's claim: due PENDING messages of running campaigns (or transactional replies), locked
 * with SKIP LOCKED so dispatchers on every node take disjoint batches, then leased to this node.
 * The lease, not a lock, protects the send: a node that dies leaves SENDING rows whose lease the
 * sweep returns to PENDING.
 */
@Singleton
public class Outbox {

    private static final String DUE = """
            SELECT m.id, m.token IS NOT NULL FROM message m
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

    /**
     * A claimed batch. {@code claimedBefore}: messages an earlier claim gave a token to (a retry, a
     * lost lease), the only ones that may already have tracked links. A first claim has none.
     */
    public record Claim(List<Long> ids, Set<Long> claimedBefore) {
        static final Claim NONE = new Claim(List.of(), Set.of());
    }

    /** Call inside a transaction: locks, leases and answers up to {@code limit} due messages. */
    public Claim claim(String node, Instant now, Instant leaseUntil, int limit) {
        List<Long> ids = new ArrayList<>();
        Set<Long> claimedBefore = new HashSet<>();
        jdbc.query(DUE, rs -> {
            ids.add(rs.getLong(1));
            if (rs.getBoolean(2)) {
                claimedBefore.add(rs.getLong(1));
            }
            return null;
        }, now, limit);
        if (ids.isEmpty()) {
            return Claim.NONE;
        }
        Map<Long, String> tokens = new HashMap<>();
        for (Long id : ids) {
            tokens.put(id, RandomTokens.newToken()); // kept only where the message has none yet (a retry keeps its links)
        }
        PerRowValues rows = new PerRowValues(tokens);
        List<Object> params = new ArrayList<>(List.of(node, leaseUntil));
        params.addAll(rows.caseParams());
        params.add(now);
        params.addAll(rows.ids());
        jdbc.update("UPDATE message SET status = 'SENDING', lease_owner = ?, lease_until = ?, attempts = attempts + 1, "
                + "token = COALESCE(token, " + rows.caseSql("VARCHAR(32)") + "), updated_at = ? WHERE " + rows.inSql(),
                params.toArray());
        return new Claim(ids, claimedBefore);
    }

    public List<Claimed> load(List<Long> ids) {
        // in due order, as claimed: the rows' physical order depends on how they were last updated
        return jdbc.query(Claimed.SELECT + " ORDER BY m.due_at, m.id", Claimed::map, program.current().defaultTimeZone(),
                Jdbc.array("bigint", ids));
    }
}
