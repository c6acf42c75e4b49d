package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.program.ProgramService;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
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
            SELECT m.id, m.due_at FROM message m
            WHERE m.status = 'PENDING' AND m.due_at <= ?%s
              AND (m.campaign_id IS NULL OR m.campaign_id IN (SELECT id FROM campaign WHERE status = 'RUNNING'))
            ORDER BY m.channel, m.due_at, m.id
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";

    /**
     * Where a lane's last claim ended in (due, id) order. The due index keeps an entry for every
     * message claimed since its last vacuum, all at its front, and a claim that started there would
     * walk over every one of them (a big campaign's claims would cost more the further it got).
     * Starting after the last claim skips them; messages that become due later, or are queued
     * later, sort after it. Messages that became due behind it (a dead node's, returned with their
     * old due time; a resumed campaign's) are found by a pass from the start every 10 seconds.
     */
    public static final class Cursor {
        private static final long REPASS = 10_000_000_000L;
        private java.time.Instant dueAt;
        private long id;
        private long passStartedNanos = System.nanoTime();

        boolean fromStart() {
            if (dueAt != null && System.nanoTime() - passStartedNanos > REPASS) {
                dueAt = null;
            }
            if (dueAt == null) {
                passStartedNanos = System.nanoTime();
            }
            return dueAt == null;
        }

        void advance(java.time.Instant due, long lastId) {
            if (due != null) {
                dueAt = due;
                id = lastId;
            }
        }
    }

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
        return claim(node, now, limit, channel, null);
    }

    /** The same, from where {@code cursor} says the lane's last claim ended (null: from the start). */
    public List<Long> claim(String node, Instant now, int limit, @Nullable Channel channel, @Nullable Cursor cursor) {
        StringBuilder filter = new StringBuilder();
        List<Object> params = new ArrayList<>(List.of(now));
        if (channel != null) {
            filter.append(" AND m.channel = ?");
            params.add(channel.name());
        }
        if (cursor != null && !cursor.fromStart()) {
            filter.append(" AND (m.due_at, m.id) > (?, ?)");
            params.add(cursor.dueAt);
            params.add(cursor.id);
        }
        params.add(limit);
        record Due(long id, Instant dueAt) {
        }
        List<Due> due = jdbc.query(DUE.formatted(filter), rs -> new Due(rs.getLong(1), Jdbc.instant(rs, "due_at")), params.toArray());
        if (cursor != null) {
            Due last = due.isEmpty() ? null : due.get(due.size() - 1);
            cursor.advance(last == null ? null : last.dueAt(), last == null ? 0 : last.id());
        }
        List<Long> ids = due.stream().map(Due::id).toList();
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
