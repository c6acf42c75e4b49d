package health.outreach.delivery;

import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One worker's hold on the batch it claimed. A batch is sent one message after another, and a slow
 * relay or a low rate limit can make that outlast the lease; the sweep would then hand the batch to
 * another node, and what was sent but not yet recorded, and the unsent rest, would go out twice. So
 * before each send, once half the lease is gone, the lease of the whole batch is renewed in one
 * statement. A message whose lease was lost anyway (this node stalled past it) is left to the node
 * that has it now.
 */
final class BatchLease {

    private static final Logger LOG = LoggerFactory.getLogger(BatchLease.class);

    private final Outbox outbox;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final Duration length;
    private final String node;
    private final List<Long> batch;
    private final Set<Long> lost = new HashSet<>();
    private Instant until;
    private boolean givenUp;

    BatchLease(Outbox outbox, TransactionOperations<Connection> transactions, Clock clock, Duration length, String node,
               List<Long> batch, Instant claimedAt) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.length = length;
        this.node = node;
        this.batch = batch;
        this.until = claimedAt.plus(length);
    }

    /** Whether this node may still send {@code messageId} of its batch, renewing the lease when past its half. */
    boolean mayStillSend(long messageId) {
        Instant now = clock.instant();
        if (!givenUp && now.plus(length.dividedBy(2)).isAfter(until)) {
            Instant next = now.plus(length);
            try {
                Set<Long> kept = transactions.executeWrite(status -> outbox.renew(node, batch, next));
                batch.stream().filter(id -> !kept.contains(id)).forEach(lost::add);
                until = next;
            } catch (RuntimeException e) {
                // Without a renewed lease the rest may soon be another node's: send no more of it,
                // and let the caller record what was sent while the lease still held.
                LOG.warn("Could not renew the lease of a batch; its unsent messages wait for the next claim: {}", e.toString());
                givenUp = true;
            }
        }
        return !givenUp && !lost.contains(messageId);
    }

    /** Whether renewing failed: the batch's unsent messages are still ours, to be handed back unsent. */
    boolean gaveUp() {
        return givenUp;
    }
}
