package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.channel.email.CaptureEmailMessenger;
import health.outreach.common.Jdbc;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.MutableClock;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch that takes longer to send than orphan-after (a slow relay, a low rate limit) stays this
 * node's while its heartbeat goes on, although another node's sweep runs after every send. A node
 * that stalls past orphan-after loses its claims to the sweep: only the message it had on the wire
 * goes out twice, and exactly that one is flagged; what it had already sent was on record, and what
 * it had not sent goes back with its attempt. A database hiccup while recording makes the worker
 * wait and try again, sending nothing more meanwhile.
 */
@MicronautTest(transactional = false)
@Property(name = "spec.name", value = "NodeStallTest")
@Property(name = "outreach.dispatch.orphan-after", value = "PT15S")
class NodeStallTest {

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    SlowRelay relay;

    @Inject
    FlakyRecorder recorder;

    @Inject
    Jdbc jdbc;

    @Test
    void aBatchSlowerThanOrphanAfterIsSentOnceWhileOtherNodesSweep() {
        relay.reset(Duration.ofSeconds(10), -1); // 100 s for the batch, heartbeats between the sends
        long campaign = launch("STALL_SLOW", 10);

        assertEquals(10, drain());
        assertEquals(10, sent(campaign));
        assertEquals(10, relay.sends.size());
        relay.sends.values().forEach(n -> assertEquals(1, n.get(), "sent once"));
        assertEquals(0, possibleDuplicates(campaign), "the heartbeat held: the sweep after every send returned nothing");
    }

    @Test
    void aNodeThatStallsPastOrphanAfterDuplicatesOnlyWhatWasOnTheWire() {
        relay.reset(Duration.ofSeconds(1), 3); // the third send hangs for longer than orphan-after
        long campaign = launch("STALL_HANG", 10);

        assertEquals(18, drain(), "the whole batch, then the 8 messages the sweep returned");
        assertEquals(10, sent(campaign));
        // The two sent before the stall were on record already; the stalled third was on the wire.
        assertEquals(11, relay.sends.values().stream().mapToInt(AtomicInteger::get).sum());
        assertEquals(Set.of(3L), relay.sentTwice());
        assertEquals(1, possibleDuplicates(campaign), "exactly the message on the wire is on record as a possible duplicate");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND possible_duplicate", campaign));
        assertEquals(10, jdbc.queryLong("SELECT SUM(attempts) FROM message WHERE campaign_id = ?", campaign) - 1,
                "the unsent ones got their attempt back: one attempt each, two for the duplicate");
    }

    @Test
    void aRecordThatFailsOnceIsWrittenAgainAndNothingGoesOutTwice() {
        relay.reset(Duration.ofSeconds(1), -1);
        recorder.failNext(1); // the database hiccups once, mid-batch
        long campaign = launch("STALL_DB", 10);

        assertEquals(10, drain());
        assertEquals(10, sent(campaign));
        relay.sends.values().forEach(n -> assertEquals(1, n.get(), "sent once"));
        assertEquals(0, possibleDuplicates(campaign), "nothing waited for the sweep");
    }

    /** Claims until nothing is due, a few rounds at most: claims that keep coming back would never end. */
    private int drain() {
        int total = 0;
        for (int round = 0, claimed; round < 4 && (claimed = dispatcher.dispatchOnce()) > 0; round++) {
            total += claimed;
        }
        return total;
    }

    private long launch(String tag, int contacts) {
        fixture.contacts(tag, contacts, "America/Chicago");
        return fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
    }

    private long sent(long campaign) {
        return jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign);
    }

    private long possibleDuplicates(long campaign) {
        return jdbc.queryLong("SELECT COUNT(*) FROM event WHERE campaign_id = ? AND event_type = 'LEASE_EXPIRED'", campaign);
    }

    /** The recorder, failing while {@code failures} lasts, as a database connection that resets would. */
    @Singleton
    @Replaces(Recorder.class)
    @Requires(property = "spec.name", value = "NodeStallTest")
    static class FlakyRecorder extends Recorder {

        private final AtomicInteger failures = new AtomicInteger();

        FlakyRecorder(Jdbc jdbc, health.outreach.events.Counters counters, io.micronaut.serde.ObjectMapper json, health.outreach.contact.Suppressions suppressions,
                      health.outreach.contact.ContactStore contacts, health.outreach.events.EventLog eventLog,
                      health.outreach.delivery.Reach reach, health.outreach.announce.Announcements announcements) {
            super(jdbc, counters, json, suppressions, contacts, eventLog, reach, announcements);
        }

        void failNext(int n) {
            failures.set(n);
        }

        @Override
        void record(java.util.List<Result> results, String node, java.time.Instant at) {
            if (!results.isEmpty() && results.stream().anyMatch(r -> r.kind() == Kind.SENT) && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("connection reset (test)");
            }
            super.record(results, node, at);
        }
    }

    /**
     * An email relay that takes {@code perSend} of the test clock for every message, and on the
     * {@code stallAt}-th send hangs past orphan-after; after each send another node's sweep runs.
     */
    @Singleton
    @Replaces(CaptureEmailMessenger.class)
    @Requires(property = "spec.name", value = "NodeStallTest")
    static class SlowRelay implements Messenger {

        final Map<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
        /** Message id by the position of its first send. */
        private final Map<Long, Long> order = new ConcurrentHashMap<>();
        private final MutableClock clock;
        private final Provider<Reclaimer> sweeper;
        private final AtomicInteger count = new AtomicInteger();
        private volatile Duration perSend = Duration.ZERO;
        private volatile int stallAt = -1;

        SlowRelay(MutableClock clock, Provider<Reclaimer> sweeper) {
            this.clock = clock;
            this.sweeper = sweeper;
        }

        /** Positions (1 = first sent) of the messages that went out twice. */
        Set<Long> sentTwice() {
            return order.entrySet().stream().filter(e -> sends.get(e.getValue()).get() == 2).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        void reset(Duration perSend, int stallAt) {
            order.clear();
            sends.clear();
            count.set(0);
            this.perSend = perSend;
            this.stallAt = stallAt;
        }

        @Override
        public Channel channel() {
            return Channel.EMAIL;
        }

        @Override
        public SendOutcome send(OutgoingMessage message, Handover handover) {
            int n = count.incrementAndGet();
            if (sends.computeIfAbsent(message.messageId(), id -> new AtomicInteger()).incrementAndGet() == 1) {
                order.put((long) n, message.messageId());
            }
            clock.advance(n == stallAt ? Duration.ofMinutes(3) : perSend);
            sweeper.get().reclaimOrphans();
            return new SendOutcome.Sent("relay-" + message.messageId() + "-" + n);
        }
    }
}
