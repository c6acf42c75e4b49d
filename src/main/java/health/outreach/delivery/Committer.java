package health.outreach.delivery;

import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Makes outcomes durable as they happen, several connections' at a time (group commit): a worker
 * hands over the outcome of the message it just sent, together with the message it will send next,
 * and waits for the commit before that send. So at any moment each connection has at most one
 * message on the wire whose fate is not on record, and the record names it (its slot): a crash
 * duplicates at most one message per connection, and exactly those are flagged.
 * <p>
 * One thread per node writes; whatever arrived while the last transaction ran goes into the next.
 * A failed write (the database away) is retried with backoff, and the workers wait meanwhile, so
 * nothing more goes out unrecorded. Re-applying a group whose commit did commit although the
 * driver said otherwise changes nothing: every write is guarded by the claim it records.
 */
final class Committer {

    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    private static final int MAX_GROUP = 512;
    private static final long LINGER_NANOS = 2_000_000;

    /**
     * What one worker hands over: outcomes of the claim {@code owner} holds, and its slot's next
     * message. {@code done} completes once committed: true while the owner still holds its claims,
     * false when it had been declared dead meanwhile (its slot's next message is then someone else's).
     */
    record Entry(String owner, List<Recorder.Result> results, NodeHeartbeat.SlotUpdate slot, CompletableFuture<Boolean> done) {
    }

    private final Recorder recorder;
    private final NodeHeartbeat heartbeat;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final DispatchMetrics metrics;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private volatile Thread thread;
    private volatile boolean running;
    /** How many outcomes are worth lingering for: one per sending connection. */
    private volatile int groupTarget = 1;

    Committer(Recorder recorder, NodeHeartbeat heartbeat, TransactionOperations<Connection> transactions, Clock clock,
              DispatchMetrics metrics) {
        this.recorder = recorder;
        this.heartbeat = heartbeat;
        this.transactions = transactions;
        this.clock = clock;
        this.metrics = metrics;
    }

    synchronized void start(String name, int connections) {
        if (running) {
            return;
        }
        groupTarget = Math.max(1, connections);
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after writing what was handed over; waits at most {@code grace} for a database that does not answer. */
    synchronized void stop(Duration grace) {
        if (!running) {
            return;
        }
        running = false;
        Thread t = thread;
        try {
            t.join(Math.max(1, grace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("Outcomes of {} sends could not be recorded before stopping; their messages return to the outbox "
                    + "when this node's heartbeat is found stale", queue.size());
        }
        thread = null;
    }

    /**
     * Hands over outcomes and the slot's next message; the future completes once they are committed,
     * with whether {@code owner} still holds its claims.
     * Without the writer thread (tests, a node that does not dispatch) the write happens here and now.
     */
    CompletableFuture<Boolean> submit(String owner, List<Recorder.Result> results, NodeHeartbeat.SlotUpdate slot) {
        Entry entry = new Entry(owner, results, slot, new CompletableFuture<>());
        if (!running) {
            writeWithRetry(List.of(entry), () -> false);
            return entry.done();
        }
        queue.add(entry);
        return entry.done();
    }

    private void loop() {
        List<Entry> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int results = first.results().size();
                // Linger a moment for the other connections' outcomes: one transaction for many sends
                // costs the database far less than one each, and a send waits at most this long more.
                long lingerUntil = System.nanoTime() + LINGER_NANOS;
                while (results < MAX_GROUP) {
                    Entry next = group.size() >= groupTarget ? queue.poll()
                            : queue.poll(Math.max(0, lingerUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    results += next.results().size();
                }
                writeWithRetry(group, () -> running);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Writes a group in one transaction, again and again while it fails and {@code keepTrying} holds. */
    private void writeWithRetry(List<Entry> group, BooleanSupplier keepTrying) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // one instant per group, the same on every retry
        long backoff = 50;
        while (true) {
            try {
                Set<String> fenced = transactions.executeWrite(status -> write(group, now));
                group.forEach(e -> metrics.recorded(e.results()));
                group.forEach(e -> e.done().complete(!fenced.contains(e.owner())));
                return;
            } catch (RuntimeException e) {
                if (!keepTrying.getAsBoolean() && backoff > 50) {
                    group.forEach(entry -> entry.done().completeExceptionally(e));
                    return;
                }
                LOG.warn("Recording {} outcomes failed, trying again in {} ms: {}", group.size(), backoff, e.toString());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** Answers the owners found declared dead (their slots gone). */
    private Set<String> write(List<Entry> group, Instant now) {
        // Owners differ only across a re-registration (a node declared dead and back); each owner's
        // outcomes are guarded by its own claim.
        Map<String, List<Recorder.Result>> byOwner = new LinkedHashMap<>();
        Map<String, List<NodeHeartbeat.SlotUpdate>> slots = new LinkedHashMap<>();
        for (Entry e : group) {
            byOwner.computeIfAbsent(e.owner(), k -> new ArrayList<>()).addAll(e.results());
            if (e.slot() != null) {
                slots.computeIfAbsent(e.owner(), k -> new ArrayList<>()).add(e.slot());
            }
        }
        byOwner.forEach((owner, results) -> {
            if (!results.isEmpty()) {
                recorder.record(results, owner, now);
            }
        });
        Set<String> fenced = new HashSet<>();
        slots.forEach((owner, updates) -> {
            if (!heartbeat.slots(updates, owner)) {
                fenced.add(owner);
            }
        });
        return fenced;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
