package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The node's dispatcher: one lane per channel (a claimer and one worker per provider connection),
 * one committer that records outcomes as they happen, and a heartbeat that keeps this node's claims
 * its own. Nothing is marked sent before the provider said so, and nothing is sent before the
 * previous outcome on that connection is on record. Stopping lets each send in progress finish and
 * be recorded and hands everything else back unsent; a crash leaves at most one message per
 * connection on the wire unrecorded, and the record names it.
 */
@Singleton
public class Dispatcher implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final DispatchSettings settings;
    private final Map<Channel, Messenger> messengers = new EnumMap<>(Channel.class);
    private final Map<Channel, ChannelCircuit> circuits = new EnumMap<>(Channel.class);
    private final Map<Channel, ChannelRate> rates = new EnumMap<>(Channel.class);
    private final NodeHeartbeat heartbeat;
    private final Committer committer;
    private final DispatchContext ctx;
    private final List<Lane> lanes = new ArrayList<>();
    private final Object beatWake = new Object();
    private Thread beating;
    /** The slot of the synchronous path: after the lanes' slots while they run, else the first. */
    private volatile int directSlot;
    private volatile boolean running;

    public Dispatcher(Outbox outbox, MessageBuilder builder, Recorder recorder, ClaimChecks checks, DispatchSettings settings,
                      List<Messenger> messengers, Jdbc jdbc, TransactionOperations<Connection> transactions, Clock clock,
                      DispatchMetrics metrics) {
        this.settings = settings;
        messengers.forEach(m -> this.messengers.put(m.channel(), m));
        for (Channel c : Channel.values()) {
            circuits.put(c, new ChannelCircuit(clock, settings.circuitBase(), settings.circuitMax()));
            rates.put(c, new ChannelRate(c == Channel.EMAIL ? settings.emailRate() : settings.smsRate()));
        }
        this.heartbeat = new NodeHeartbeat(jdbc, clock, hostName(), settings.fenceAfter());
        this.committer = new Committer(recorder, heartbeat, transactions, clock, metrics);
        this.ctx = new DispatchContext(settings, heartbeat, committer, outbox, checks, new Sender(builder, checks, settings, clock),
                transactions, clock);
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        if (settings.enabled()) {
            start();
        }
    }

    /** Starts the lanes with the configured (or this machine's default) number of connections per channel. */
    public void start() {
        start(-1);
    }

    /** Starts the lanes with {@code connections} per channel (tests, benchmarks); -1 for the configured ones. */
    public synchronized void start(int connections) {
        if (running) {
            return;
        }
        running = true;
        int slot = 0;
        int widest = 1;
        StringBuilder summary = new StringBuilder();
        for (Channel c : Channel.values()) {
            int n = connections > 0 ? connections : settings.connections(c);
            lanes.add(new Lane(c, n, slot, settings.batch(n), messengers.get(c), circuits.get(c), rates.get(c), ctx));
            slot += n;
            widest = Math.max(widest, n);
            summary.append(summary.isEmpty() ? "" : ", ").append(n).append(' ').append(c.name().toLowerCase());
        }
        directSlot = slot;
        heartbeat.register(slot + 1);
        committer.start("dispatch-record", widest);
        beating = new Thread(this::beat, "dispatch-heartbeat");
        beating.setDaemon(true);
        beating.start();
        lanes.forEach(Lane::start);
        LOG.info("Dispatcher {} started: {} connections", heartbeat.node(), summary);
    }

    /**
     * Stops claiming, lets each send in progress finish and be recorded, hands back what is held, and
     * waits for it. Workers are never interrupted: an interrupt closes the file channel of an
     * embedded H2 database under a running statement, and a socket write cannot be interrupted anyway.
     */
    @PreDestroy
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        lanes.forEach(Lane::signalStop);
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        long alive = lanes.stream().mapToLong(l -> l.await(deadline)).sum();
        committer.stop(java.time.Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        synchronized (beatWake) {
            beatWake.notifyAll();
        }
        if (beating != null) {
            try {
                beating.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        directSlot = 0;
        if (alive > 0) {
            LOG.warn("Dispatcher {}: {} threads still sending after {}; their messages return when its heartbeat is stale",
                    heartbeat.node(), alive, settings.shutdownGrace());
        } else {
            heartbeat.leave();
            LOG.info("Dispatcher {} stopped", heartbeat.node());
        }
        lanes.clear();
    }

    /** This node's current dispatcher id (the owner of what it claims). */
    public String node() {
        return heartbeat.node();
    }

    /**
     * Claims one batch of any channel and handles it here and now, one message after another, each
     * outcome recorded before the next send: the same path as the lanes, in the caller's thread.
     * Answers how many messages it claimed. For tests and benchmarks; a running node uses its lanes.
     */
    public int dispatchOnce() {
        int slot = directSlot;
        heartbeat.register(slot + 1);
        heartbeat.beat();
        String owner = heartbeat.node();
        Instant now = ctx.clock().instant();
        List<Long> ids = ctx.transactions().executeWrite(status -> ctx.outbox().claim(owner, now, settings.batch(4), null));
        if (ids.isEmpty()) {
            return 0;
        }
        List<Recorder.Result> held = new ArrayList<>();
        List<Claimed> sendable = new ArrayList<>();
        for (Claimed c : ctx.outbox().load(ids)) {
            Recorder.Result hold = ctx.checks().hold(c, now);
            if (hold != null) {
                held.add(hold);
            } else {
                sendable.add(c);
            }
        }
        committer.submit(owner, held, null).join();
        boolean ours = true;
        for (Claimed c : sendable) {
            ChannelCircuit circuit = circuits.get(c.channel());
            Recorder.Result result;
            // As the heartbeat thread would meanwhile: a node declared dead sends nothing more of its batch.
            ours = ours && heartbeat.beat() && owner.equals(heartbeat.node());
            if (!ours) {
                result = Sender.result(c, Recorder.Kind.RESCHEDULE, "handed back unsent: this node was declared dead", now);
            } else if (!circuit.tryAcquire()) {
                result = Sender.result(c, Recorder.Kind.RESCHEDULE, "the " + c.channel() + " provider is unavailable: "
                        + circuit.lastReason(), circuit.reopensAt());
            } else {
                rates.get(c.channel()).acquire(() -> true);
                committer.submit(owner, List.of(), new NodeHeartbeat.SlotUpdate(slot, c.id())).join();
                result = ctx.sender().send(c, messengers.get(c.channel()), circuit, Messenger.Handover.NOW);
            }
            committer.submit(owner, List.of(result), new NodeHeartbeat.SlotUpdate(slot, null)).join();
        }
        messengers.values().forEach(Messenger::release);
        return ids.size();
    }

    /** What a channel's circuit says on this node: closed, open or half_open (health, the campaign page). */
    public String circuit(Channel channel) {
        return circuits.get(channel).state().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Why a channel's circuit last opened on this node. */
    public String circuitReason(Channel channel) {
        return circuits.get(channel).lastReason();
    }

    private void beat() {
        long interval = Math.max(1, settings.heartbeat().toMillis());
        while (running) {
            synchronized (beatWake) {
                try {
                    beatWake.wait(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (running) {
                heartbeat.beat();
            }
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }
}
