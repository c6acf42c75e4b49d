package health.outreach.delivery;

import health.outreach.common.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One channel's pipeline on one node: a claimer keeps a small queue of claimed, checked messages
 * filled, and each connection's worker takes the next, sends it, and waits for its outcome to be
 * recorded (with the message it sends next) before it sends again. The claimer stops claiming while
 * the channel's circuit is open or the node's heartbeat is late; a worker that cannot send what it
 * took (stopping, fenced, circuit open) hands it back without spending an attempt.
 */
final class Lane {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    /** A claimed message in the queue, under the node id that claimed it. */
    record Work(String owner, Claimed message) {
    }

    private final Channel channel;
    private final int connections;
    private final int firstSlot;
    private final int batch;
    private final Messenger messenger;
    private final ChannelCircuit circuit;
    private final ChannelRate rate;
    private final DispatchContext ctx;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final Outbox.Cursor cursor = new Outbox.Cursor();
    /** The claimer waits here: for the queue to run low (workers signal it), for a stop, or for the poll interval. */
    private final Object wake = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Lane(Channel channel, int connections, int firstSlot, int batch, Messenger messenger, ChannelCircuit circuit,
         ChannelRate rate, DispatchContext ctx) {
        this.channel = channel;
        this.connections = connections;
        this.firstSlot = firstSlot;
        this.batch = batch;
        this.messenger = messenger;
        this.circuit = circuit;
        this.rate = rate;
        this.ctx = ctx;
    }

    int connections() {
        return connections;
    }

    void start() {
        running = true;
        String name = channel.name().toLowerCase();
        Thread claimer = new Thread(this::claimLoop, "dispatch-" + name + "-claim");
        threads.add(claimer);
        for (int i = 0; i < connections; i++) {
            int slot = firstSlot + i;
            threads.add(new Thread(() -> sendLoop(slot), "dispatch-" + name + "-" + i));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    /** Asks the threads to stop: sends in progress finish and are recorded, the rest is handed back. */
    void signalStop() {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Waits until the threads are gone or the deadline passes; answers how many are still alive. */
    long await(long deadlineNanos) {
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long alive = threads.stream().filter(Thread::isAlive).count();
        if (alive == 0) {
            threads.clear();
        }
        return alive;
    }

    private void claimLoop() {
        while (running) {
            try {
                if (queue.size() >= connections) {
                    pause(ctx.settings().pollInterval().toMillis()); // until a worker says the queue runs low
                    continue;
                }
                if (!ctx.heartbeat().mayDispatch() || !circuit.claimable()) {
                    pause(Math.min(100, ctx.settings().pollInterval().toMillis()));
                    continue;
                }
                if (claim() == 0) {
                    long poll = ctx.settings().pollInterval().toMillis();
                    pause(poll / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, poll)));
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.error("Claiming {} messages failed; trying again shortly", channel, e);
                pause(ctx.settings().pollInterval().toMillis());
            }
        }
    }

    /** One claim: held messages are recorded at once, the others queued for the workers. */
    private int claim() {
        String owner = ctx.heartbeat().node();
        Instant now = ctx.clock().instant();
        List<Long> ids = ctx.transactions().executeWrite(status -> ctx.outbox().claim(owner, now, batch, channel, cursor));
        if (ids.isEmpty()) {
            return 0;
        }
        List<Recorder.Result> held = new ArrayList<>();
        for (Claimed c : ctx.outbox().load(ids)) {
            Recorder.Result hold = ctx.checks().hold(c, now);
            if (hold != null) {
                held.add(hold);
            } else {
                queue.add(new Work(owner, c));
            }
        }
        if (!held.isEmpty()) {
            ctx.committer().submit(owner, held, null);
        }
        return ids.size();
    }

    /**
     * One connection. The outcome of each message is handed to the committer together with the
     * message that goes next, and that next message is rendered and sent right away: only its
     * hand-over (the SMTP end-of-data dot, the API request) waits for the commit. So the commit
     * overlaps with the SMTP envelope and data, and still no message is handed over before the
     * one before it is on record and the slot names it.
     */
    private void sendLoop(int slot) {
        Work next = null; // already named in this slot by the last submission
        CompletableFuture<Boolean> recorded = CompletableFuture.completedFuture(true);
        try {
            while (true) {
                Work w = next != null ? next : queue.poll(100, TimeUnit.MILLISECONDS);
                if (w != null && next == null) {
                    lowWater();
                    recorded = ctx.committer().submit(w.owner(), List.of(), new NodeHeartbeat.SlotUpdate(slot, w.message().id()));
                }
                next = null;
                if (w == null) {
                    if (!running) {
                        break;
                    }
                    continue;
                }
                if (!running || !ctx.heartbeat().mayDispatch() || !w.owner().equals(ctx.heartbeat().node())) {
                    recorded.join();
                    handBack(w, slot, "handed back unsent: " + (running ? "this node's heartbeat is late" : "the node is stopping"),
                            ctx.clock().instant());
                    continue;
                }
                if (!awaitCircuit()) {
                    recorded.join();
                    handBack(w, slot, "the " + channel + " provider is unavailable: " + circuit.lastReason(), circuit.reopensAt());
                    continue;
                }
                if (!rate.acquire(() -> running)) {
                    recorded.join();
                    handBack(w, slot, "handed back unsent: the node is stopping", ctx.clock().instant());
                    continue;
                }
                CompletableFuture<Boolean> before = recorded;
                Work sending = w;
                Recorder.Result result = ctx.sender().send(w.message(), messenger, circuit, () -> stillOurs(before, sending));
                before.join(); // also when the send failed before its hand-over
                next = running ? queue.poll() : null;
                if (next != null) {
                    lowWater();
                }
                recorded = ctx.committer().submit(w.owner(), List.of(result),
                        new NodeHeartbeat.SlotUpdate(slot, next == null ? null : next.message().id()));
            }
            recorded.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CompletionException e) {
            LOG.error("Dispatch on slot {} stops: outcomes cannot be recorded ({})", slot, e.getCause() == null ? e : e.getCause());
        } finally {
            if (next != null) {
                handBack(next, slot, "handed back unsent: the node is stopping", ctx.clock().instant());
            }
            drainQueue(slot);
            messenger.release();
        }
    }

    /**
     * The hand-over gate: the previous outcome is on record and this node still holds the claim.
     * A node cut off from the database long enough to be declared dead finds its slots gone when the
     * commit finally gets through; the message it was about to hand over has meanwhile gone back to
     * the outbox and is another node's to send.
     */
    private void stillOurs(CompletableFuture<Boolean> recorded, Work w) {
        if (!recorded.join() || !w.owner().equals(ctx.heartbeat().node())) {
            throw new IllegalStateException("this node was declared dead; the message is another node's to send");
        }
    }

    /** While a probe is out (half-open), waits for its verdict; false when the circuit is open. */
    private boolean awaitCircuit() throws InterruptedException {
        while (running) {
            if (circuit.tryAcquire()) {
                return true;
            }
            if (circuit.state() != ChannelCircuit.State.HALF_OPEN) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void handBack(Work w, int slot, String reason, Instant due) {
        ctx.committer().submit(w.owner(), List.of(Sender.result(w.message(), Recorder.Kind.RESCHEDULE, reason, due)),
                new NodeHeartbeat.SlotUpdate(slot, null));
    }

    private void drainQueue(int slot) {
        if (running) {
            return;
        }
        List<Work> rest = new ArrayList<>();
        queue.drainTo(rest);
        Instant now = ctx.clock().instant();
        rest.forEach(w -> handBack(w, slot, "handed back unsent: the node is stopping", now));
    }

    /** Wakes the claimer when fewer messages are queued than there are connections to send them. */
    private void lowWater() {
        if (queue.size() < connections) {
            synchronized (wake) {
                wake.notifyAll();
            }
        }
    }

    private void pause(long millis) {
        synchronized (wake) {
            if (!running) {
                return;
            }
            try {
                wake.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
