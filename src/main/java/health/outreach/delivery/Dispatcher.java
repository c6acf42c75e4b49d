package health.outreach.delivery;

import health.outreach.campaign.DeliveryWindows;
import health.outreach.channel.Channel;
import health.outreach.common.BulkInsert;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.template.RenderException;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The dispatch loop, on every node: each worker claims a batch (short transaction), re-checks
 * consent, suppression, stop-on-booking and quiet hours per message, renders, stores its tracked
 * links, sends through the channel's messenger, and records every outcome in one transaction.
 * Nothing is marked sent before the provider said so; a crash anywhere leaves SENDING rows whose
 * lease the sweep frees.
 */
@Singleton
public class Dispatcher implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Outbox outbox;
    private final MessageBuilder builder;
    private final Recorder recorder;
    private final DeliveryWindows windows;
    private final DispatchSettings settings;
    private final RetryPolicy retry;
    private final DispatchMetrics metrics;
    private final Map<Channel, Messenger> messengers = new EnumMap<>(Channel.class);
    private final ChannelLimits limits;
    private final Jdbc jdbc;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final String node;
    private final List<Thread> workers = new ArrayList<>();
    /** Idle workers wait on this; stop() wakes them. */
    private final Object idle = new Object();
    private volatile boolean running;
    /** Set by stop(): batches in hand send nothing more and hand their unsent messages back. */
    private volatile boolean stopping;

    public Dispatcher(Outbox outbox, MessageBuilder builder, Recorder recorder, DeliveryWindows windows,
                      DispatchSettings settings, List<Messenger> messengers, Jdbc jdbc,
                      TransactionOperations<Connection> transactions, Clock clock, DispatchMetrics metrics) {
        this.outbox = outbox;
        this.metrics = metrics;
        this.builder = builder;
        this.recorder = recorder;
        this.windows = windows;
        this.settings = settings;
        this.retry = new RetryPolicy(settings.retryBase(), settings.retryMax(), settings.maxAttempts(), new Random());
        messengers.forEach(m -> this.messengers.put(m.channel(), m));
        this.limits = new ChannelLimits(settings, () -> !stopping);
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.node = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        if (settings.enabled()) {
            start(settings.workers());
        }
    }

    public synchronized void start(int count) {
        if (running) {
            return;
        }
        running = true;
        stopping = false;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::loop, "dispatch-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        LOG.info("Dispatcher {} started with {} workers", node, count);
    }

    /**
     * Stops claiming, lets each worker finish the send in progress and record its batch, and waits
     * for them. Workers are never interrupted: an interrupt closes the file channel of an embedded
     * H2 database under a running statement, and a socket write cannot be interrupted anyway.
     */
    @PreDestroy
    public synchronized void stop() {
        running = false;
        stopping = true;
        synchronized (idle) {
            idle.notifyAll();
        }
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long left = workers.stream().filter(Thread::isAlive).count();
        if (left == 0) {
            stopping = false; // the workers are gone; a direct dispatchOnce (tests, benchmarks) sends again
        }
        if (left > 0) {
            LOG.warn("Dispatcher {}: {} workers still sending after {}; their claims return when the lease ends",
                    node, left, settings.shutdownGrace());
        } else if (!workers.isEmpty()) {
            LOG.info("Dispatcher {} stopped", node);
        }
        workers.clear();
    }

    public String node() {
        return node;
    }

    private void loop() {
        while (running) {
            try {
                if (dispatchOnce() == 0) {
                    messengers.values().forEach(Messenger::release);
                    pause(settings.pollInterval().toMillis() / 2
                            + ThreadLocalRandom.current().nextLong(settings.pollInterval().toMillis()));
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.error("Dispatch batch failed; its messages return after their lease", e);
                pause(settings.pollInterval().toMillis());
            }
        }
        messengers.values().forEach(Messenger::release);
    }

    /** Claims and handles one batch; answers how many messages it claimed. Public for tests and benchmarks. */
    public int dispatchOnce() {
        Instant now = clock.instant();
        Outbox.Claim claim = transactions.executeWrite(status ->
                outbox.claim(node, now, now.plus(settings.lease()), settings.batchSize()));
        if (claim.ids().isEmpty()) {
            return 0;
        }
        List<Claimed> claimed = outbox.load(claim.ids());
        List<Recorder.Result> results = new ArrayList<>(claimed.size());
        List<MessageBuilder.Built> toSend = new ArrayList<>();
        List<Claimed> toSendClaims = new ArrayList<>();
        for (Claimed c : claimed) {
            Recorder.Result held = check(c, now);
            if (held != null) {
                results.add(held);
                continue;
            }
            try {
                toSend.add(builder.build(c));
                toSendClaims.add(c);
            } catch (RenderException e) {
                results.add(result(c, Recorder.Kind.FAILED_PERMANENT, "template could not render: " + e.getMessage()));
            }
        }
        storeLinks(claim.claimedBefore(), toSend);
        BatchLease lease = new BatchLease(outbox, transactions, clock, settings.lease(), node, claim.ids(), now);
        for (int i = 0; i < toSend.size(); i++) {
            Claimed c = toSendClaims.get(i);
            if (stopping || !limits.acquire(c.channel())) {
                results.add(new Recorder.Result(c, Recorder.Kind.RESCHEDULE, "shutting down", null, clock.instant(), false));
                continue;
            }
            try {
                if (lease.mayStillSend(c.id())) {
                    results.add(send(c, toSend.get(i)));
                    continue;
                }
            } finally {
                limits.release(c.channel());
            }
            if (lease.gaveUp()) {
                results.add(new Recorder.Result(c, Recorder.Kind.RESCHEDULE, "lease could not be renewed", null, clock.instant(), false));
            }
            // else: the lease was lost and another node owns the message; its record is theirs
        }
        transactions.executeWrite(status -> {
            recorder.record(results, node, clock.instant());
            return null;
        });
        metrics.recorded(results);
        return claim.ids().size();
    }

    /** Claim-time checks: consent, suppression, stop-on-booking, pause and quiet hours. Null when it may go. */
    private Recorder.Result check(Claimed c, Instant now) {
        if (c.erasedAt() != null || c.address() == null) {
            return result(c, Recorder.Kind.SKIPPED, "no address (contact erased or address removed)");
        }
        if (c.suppressed()) {
            return result(c, Recorder.Kind.SKIPPED, "address suppressed");
        }
        if (!c.campaign()) {
            return null; // replies to STOP or HELP go out whatever the consent, at any hour
        }
        if (c.holdout()) {
            return result(c, Recorder.Kind.SKIPPED, "holdout contact");
        }
        if ("STOPPED".equals(c.enrollmentStatus())) {
            return result(c, Recorder.Kind.SKIPPED, "enrollment stopped (booked or opted out)");
        }
        if (c.consent() != ConsentState.OPTED_IN) {
            return result(c, Recorder.Kind.SKIPPED, "no consent for " + c.channel() + " (" + c.consent() + ")");
        }
        if (c.pausedUntil() != null && c.pausedUntil().isAfter(now)) {
            return new Recorder.Result(c, Recorder.Kind.RESCHEDULE, "paused by the contact", null, c.pausedUntil(), false);
        }
        ZoneId zone = ZoneId.of(c.zone());
        Instant allowed = windows.forChannel(c.channel()).nextAllowed(now, zone);
        if (!allowed.equals(now)) {
            return new Recorder.Result(c, Recorder.Kind.RESCHEDULE, "quiet hours in " + zone, null, allowed, false);
        }
        return null;
    }

    /**
     * Links are stored before the send, so a click never arrives before its link exists. A re-send
     * (lost lease, retry) replaces the links an earlier attempt stored.
     */
    private void storeLinks(Set<Long> claimedBefore, List<MessageBuilder.Built> built) {
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> clear = new ArrayList<>();
        for (MessageBuilder.Built b : built) {
            if (claimedBefore.contains(b.message().messageId())) {
                clear.add(new Object[]{b.message().messageId()});
            }
            if (!b.links().isEmpty()) {
                for (int i = 0; i < b.links().size(); i++) {
                    rows.add(new Object[]{b.message().messageId(), i + 1, b.links().get(i)});
                }
            }
        }
        if (rows.isEmpty() && clear.isEmpty()) {
            return;
        }
        transactions.executeWrite(status -> {
            // One statement per message, not "= ANY (?)": PostgreSQL caches a generic plan for the
            // array form, and one planned while tracked_link was still empty scans the whole table.
            jdbc.batch("DELETE FROM tracked_link WHERE message_id = ?", clear);
            BulkInsert.insert(jdbc, "tracked_link", List.of("message_id", "link_index", "url"), rows);
            return null;
        });
    }

    private Recorder.Result send(Claimed c, MessageBuilder.Built built) {
        Messenger messenger = messengers.get(c.channel());
        if (messenger == null) {
            return result(c, Recorder.Kind.RETRY, "no " + c.channel() + " transport configured", retry.nextAttempt(clock.instant(), c.attempts()));
        }
        SendOutcome outcome;
        try {
            outcome = messenger.send(built.message());
        } catch (RuntimeException e) {
            outcome = new SendOutcome.Unknown("the transport failed unexpectedly: " + e);
        }
        Instant now = clock.instant();
        if (outcome instanceof SendOutcome.Sent s) {
            return new Recorder.Result(c, Recorder.Kind.SENT, null, s.providerId(), null, built.carriesOptOutLine());
        }
        if (outcome instanceof SendOutcome.Transient t) {
            return retry.mayRetry(c.attempts())
                    ? result(c, Recorder.Kind.RETRY, t.reason(),
                    windows.forChannel(c.channel()).nextAllowed(retry.nextAttempt(now, c.attempts()), ZoneId.of(c.zone())))
                    : result(c, Recorder.Kind.FAILED_TRANSIENT, "gave up after " + c.attempts() + " attempts: " + t.reason());
        }
        if (outcome instanceof SendOutcome.Permanent p) {
            return result(c, p.suppressAddress() ? Recorder.Kind.BOUNCED : Recorder.Kind.FAILED_PERMANENT, p.reason());
        }
        return result(c, Recorder.Kind.UNKNOWN, ((SendOutcome.Unknown) outcome).reason());
    }

    private static Recorder.Result result(Claimed c, Recorder.Kind kind, String reason) {
        return result(c, kind, reason, null);
    }

    private static Recorder.Result result(Claimed c, Recorder.Kind kind, String reason, Instant due) {
        String r = reason != null && reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason;
        return new Recorder.Result(c, kind, r, null, due, false);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "node";
        }
    }

    private void pause(long millis) {
        synchronized (idle) {
            if (!running) {
                return;
            }
            try {
                idle.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
