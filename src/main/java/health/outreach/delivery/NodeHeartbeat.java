package health.outreach.delivery;

import health.outreach.common.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A dispatching node's claim to be alive (table dispatch_node) and what each of its connections has
 * on the wire (dispatch_slot). Claims belong to the node as long as its heartbeat is fresh; the sweep
 * of any node returns a silent node's claims to the outbox after {@code orphan-after}, and flags the
 * messages its slots name as possible duplicates. A node whose own heartbeat has not got through for
 * {@code fenceAfter} (shorter than orphan-after) sends nothing until it does, so two nodes never
 * believe they own one message; a node that finds its row gone (declared dead) drops what it holds
 * and starts again under a new id.
 */
final class NodeHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    /** A slot's message, written in the transaction that records the slot's previous outcome. */
    record SlotUpdate(int slot, Long messageId) {
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final String host;
    private final Duration fenceAfter;
    private volatile String node;
    private volatile boolean registered;
    private volatile long lastBeatNanos;
    private volatile int slots;

    NodeHeartbeat(Jdbc jdbc, Clock clock, String host, Duration fenceAfter) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.host = host;
        this.fenceAfter = fenceAfter;
        this.node = newId();
    }

    /** This node's current id: the owner of what it claims. */
    String node() {
        return node;
    }

    /** Registers the node with {@code slots} connection slots, once (again after being declared dead). */
    synchronized void register(int slotCount) {
        if (registered && slotCount <= slots) {
            return;
        }
        var now = clock.instant();
        if (!registered) {
            jdbc.update("INSERT INTO dispatch_node (node_id, started_at, heartbeat_at) VALUES (?, ?, ?)", node, now, now);
        }
        List<Object[]> rows = new ArrayList<>();
        for (int s = slots; s < slotCount; s++) {
            rows.add(new Object[]{node, s});
        }
        jdbc.batch("INSERT INTO dispatch_slot (node_id, slot) VALUES (?, ?)", rows);
        slots = Math.max(slots, slotCount);
        registered = true;
        lastBeatNanos = System.nanoTime();
    }

    /**
     * Refreshes the heartbeat. Answers false when the node had been declared dead meanwhile: its
     * claims are no longer its own, and it has been registered again under a new id.
     */
    synchronized boolean beat() {
        if (!registered) {
            return true;
        }
        try {
            int updated = jdbc.update("UPDATE dispatch_node SET heartbeat_at = ? WHERE node_id = ?", clock.instant(), node);
            if (updated == 1) {
                lastBeatNanos = System.nanoTime();
                return true;
            }
            String old = node;
            node = newId();
            int count = slots;
            registered = false;
            slots = 0;
            register(count);
            LOG.error("Dispatcher {} was declared dead by another node (its heartbeat was late); what it held was returned "
                    + "to the outbox. It goes on as {}", old, node);
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Dispatcher {} could not refresh its heartbeat: {}", node, e.toString());
            return true;
        }
    }

    /** Whether this node's claims are safely its own: its heartbeat got through recently. */
    boolean mayDispatch() {
        return registered && System.nanoTime() - lastBeatNanos < fenceAfter.toNanos();
    }

    /**
     * Writes which message each slot has on the wire, in one statement; call inside the recording
     * transaction. Answers false when {@code owner}'s slots are gone: it was declared dead and its
     * claims went back to the outbox, so what it holds must not be handed over.
     */
    boolean slots(List<SlotUpdate> updates, String owner) {
        if (updates.isEmpty()) {
            return true;
        }
        java.util.Map<Integer, Long> bySlot = new java.util.TreeMap<>();
        updates.forEach(u -> bySlot.put(u.slot(), u.messageId())); // the last word per slot wins
        StringBuilder sql = new StringBuilder("UPDATE dispatch_slot SET message_id = CASE slot");
        List<Object> params = new ArrayList<>();
        bySlot.forEach((slot, message) -> {
            sql.append(" WHEN ? THEN CAST(? AS BIGINT)");
            params.add(slot);
            params.add(message);
        });
        sql.append(" END WHERE node_id = ? AND slot IN (").append(Jdbc.placeholders(bySlot.size())).append(')');
        params.add(owner);
        params.addAll(bySlot.keySet());
        return jdbc.update(sql.toString(), params.toArray()) == bySlot.size();
    }

    /** A clean stop: nothing is on the wire and nothing is held, so the node leaves no trace. */
    synchronized void leave() {
        if (!registered) {
            return;
        }
        try {
            jdbc.update("DELETE FROM dispatch_slot WHERE node_id = ?", node);
            jdbc.update("DELETE FROM dispatch_node WHERE node_id = ?", node);
        } catch (RuntimeException e) {
            LOG.warn("Dispatcher {} could not sign off ({}); the sweep will", node, e.toString());
        }
        registered = false;
        slots = 0;
    }

    private String newId() {
        String h = host.length() > 40 ? host.substring(0, 40) : host;
        return h + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
