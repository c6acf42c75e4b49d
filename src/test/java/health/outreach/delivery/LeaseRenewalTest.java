package health.outreach.delivery;

import health.outreach.channel.Channel;
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
 * A batch that takes longer to send than its lease (a slow relay, a low rate limit) keeps its lease,
 * while another node's sweep runs after every send. A node that stalls past its lease loses the
 * unsent rest to the next claim: only what was in flight (sent, not yet recorded) goes out twice, and
 * every message the sweep freed is on record as a possible duplicate.
 */
@MicronautTest(transactional = false)
@Property(name = "spec.name", value = "LeaseRenewalTest")
@Property(name = "outreach.dispatch.lease", value = "PT2M")
class LeaseRenewalTest {

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    SlowRelay relay;

    @Inject
    FlakyOutbox outbox;

    @Inject
    Jdbc jdbc;

    @Test
    void aBatchSlowerThanItsLeaseIsSentOnceWhileOtherNodesSweep() {
        relay.reset(Duration.ofSeconds(40), -1);
        long campaign = launch("LEASE_SLOW", 10);

        assertEquals(10, drain());
        assertEquals(10, sent(campaign));
        assertEquals(10, relay.sends.size());
        relay.sends.values().forEach(n -> assertEquals(1, n.get(), "sent once"));
        assertEquals(0, lostLeases(campaign), "no lease ran out: the sweep after every send freed nothing");
    }

    @Test
    void aNodeThatStallsPastItsLeaseLeavesTheRestToTheNextClaim() {
        relay.reset(Duration.ofSeconds(1), 3); // the third send hangs for longer than the lease
        long campaign = launch("LEASE_STALL", 10);

        assertEquals(20, drain(), "the whole batch, then the 10 messages the sweep freed");
        assertEquals(10, sent(campaign));
        // In flight when the lease ran out: the two sent before the stall (a batch is recorded as a
        // whole) and the stalled third. Only those go out twice; the stalled node sent none of the rest.
        assertEquals(13, relay.sends.values().stream().mapToInt(AtomicInteger::get).sum());
        assertEquals(Set.of(1L, 2L, 3L), relay.sentTwice());
        // The sweep cannot know which of the messages it freed had gone out, so each is on record
        // as a possible duplicate.
        assertEquals(10, lostLeases(campaign));
    }

    @Test
    void aLeaseThatCannotBeRenewedHandsTheUnsentRestBackUnsent() {
        relay.reset(Duration.ofSeconds(40), -1);
        outbox.failNextRenewals(1); // the database hiccups once, mid-batch
        long campaign = launch("LEASE_FAIL", 10);

        assertEquals(18, drain(), "the batch of 10 (2 sent, 8 handed back), then the 8");
        assertEquals(10, sent(campaign));
        relay.sends.values().forEach(n -> assertEquals(1, n.get(), "sent once"));
        assertEquals(0, lostLeases(campaign), "nothing waited for the sweep");
    }

    /** Claims until nothing is due, a few rounds at most: a lease that keeps running out would never end. */
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

    private long lostLeases(long campaign) {
        return jdbc.queryLong("SELECT COUNT(*) FROM event WHERE campaign_id = ? AND event_type = 'LEASE_EXPIRED'", campaign);
    }

    /** The outbox, with renewals that fail while {@code failures} lasts. */
    @Singleton
    @Replaces(Outbox.class)
    @Requires(property = "spec.name", value = "LeaseRenewalTest")
    static class FlakyOutbox extends Outbox {

        private final AtomicInteger failures = new AtomicInteger();

        FlakyOutbox(Jdbc jdbc, health.outreach.program.ProgramService program) {
            super(jdbc, program);
        }

        void failNextRenewals(int n) {
            failures.set(n);
        }

        @Override
        public Set<Long> renew(String node, java.util.List<Long> ids, java.time.Instant until) {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("connection reset (test)");
            }
            return super.renew(node, ids, until);
        }
    }

    /**
     * An email relay that takes {@code perSend} of the test clock for every message, and on the
     * {@code stallAt}-th send hangs past the lease; after each send another node's sweep runs.
     */
    @Singleton
    @Replaces(CaptureEmailMessenger.class)
    @Requires(property = "spec.name", value = "LeaseRenewalTest")
    static class SlowRelay implements Messenger {

        final Map<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
        /** Message id by the position of its first send. */
        private final Map<Long, Long> order = new ConcurrentHashMap<>();
        private final MutableClock clock;
        private final Provider<Sweeper> sweeper;
        private final AtomicInteger count = new AtomicInteger();
        private volatile Duration perSend = Duration.ZERO;
        private volatile int stallAt = -1;

        SlowRelay(MutableClock clock, Provider<Sweeper> sweeper) {
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
        public SendOutcome send(OutgoingMessage message) {
            int n = count.incrementAndGet();
            if (sends.computeIfAbsent(message.messageId(), id -> new AtomicInteger()).incrementAndGet() == 1) {
                order.put((long) n, message.messageId());
            }
            clock.advance(n == stallAt ? Duration.ofMinutes(3) : perSend);
            sweeper.get().reclaimExpiredLeases();
            return new SendOutcome.Sent("relay-" + message.messageId() + "-" + n);
        }
    }
}
