package health.outreach.delivery;

import health.outreach.common.Jdbc;
import health.outreach.common.PerRowValues;
import health.outreach.common.RandomTokens;
import health.outreach.program.ProgramService;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
        record Due(long id, boolean claimedBefore) {
        }
        List<Due> due = jdbc.query(DUE, rs -> new Due(rs.getLong(1), rs.getBoolean(2)), now, limit);
        if (due.isEmpty()) {
            return Claim.NONE;
        }
        List<Long> ids = due.stream().map(Due::id).toList();
        Set<Long> claimedBefore = due.stream().filter(Due::claimedBefore).map(Due::id).collect(Collectors.toSet());
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

    /**
     * Call inside a transaction: moves the lease of those {@code ids} this node still holds to
     * {@code until}, and answers those ids. One whose lease ran out and was taken is not ours to send.
     */
    public Set<Long> renew(String node, List<Long> ids, Instant until) {
        Jdbc.SqlArray array = Jdbc.array("bigint", ids);
        jdbc.update("UPDATE message SET lease_until = ? WHERE id = ANY (?) AND status = 'SENDING' AND lease_owner = ?",
                until, array, node);
        return Set.copyOf(jdbc.query("SELECT id FROM message WHERE id = ANY (?) AND status = 'SENDING' AND lease_owner = ?",
                rs -> rs.getLong(1), array, node));
    }

    public List<Claimed> load(List<Long> ids) {
        // in due order, as claimed: the rows' physical order depends on how they were last updated
        return jdbc.query(Claimed.SELECT + " ORDER BY m.due_at, m.id", Claimed::map, program.current().defaultTimeZone(),
                Jdbc.array("bigint", ids));
    }
}
