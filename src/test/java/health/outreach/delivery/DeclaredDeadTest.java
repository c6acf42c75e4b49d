package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.MutableClock;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node cut off from the database long enough to be declared dead: when its recording finally
 * commits, it learns that its claims are gone, so the message it had ready at the end-of-data dot
 * is not handed over (another node sends it), and holding it back teaches the channel's circuit
 * nothing about the provider.
 */
@MicronautTest(transactional = false)
@Property(name = "spec.name", value = "DeclaredDeadTest")
class DeclaredDeadTest {

    @Inject
    Jdbc jdbc;

    @Inject
    TransactionOperations<Connection> transactions;

    @Inject
    Recorder recorder;

    @Inject
    DispatchMetrics metrics;

    @Inject
    Reclaimer reclaimer;

    @Inject
    DispatchSettings settings;

    @Inject
    MutableClock clock;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Outbox outbox;

    @Inject
    MessageBuilder builder;

    @Inject
    ClaimChecks checks;

    @Test
    void aCommitAfterBeingDeclaredDeadSaysTheClaimsAreGone() {
        NodeHeartbeat heartbeat = new NodeHeartbeat(jdbc, clock, "cut-off-node", settings.fenceAfter());
        Committer committer = new Committer(recorder, heartbeat, transactions, clock, metrics);
        heartbeat.register(2);
        String before = heartbeat.node();
        assertTrue(committer.submit(before, List.of(), new NodeHeartbeat.SlotUpdate(0, null)).join(), "alive: still ours");

        clock.advance(settings.orphanAfter().plusSeconds(1)); // no heartbeat got through meanwhile
        reclaimer.reclaimOrphans();

        assertFalse(committer.submit(before, List.of(), new NodeHeartbeat.SlotUpdate(1, null)).join(),
                "the commit goes through, and says the slots are another story now");
        assertFalse(heartbeat.beat(), "the heartbeat finds the node declared dead");
        assertNotEquals(before, heartbeat.node(), "and starts again under a new id");
        assertTrue(committer.submit(heartbeat.node(), List.of(), new NodeHeartbeat.SlotUpdate(0, null)).join());
    }

    @Test
    void aMessageHeldBackAtItsHandOverIsRescheduledWithoutOpeningTheCircuit() {
        fixture.daytime();
        fixture.contacts("HELD_BACK", 1, "America/Chicago");
        fixture.launch(fixture.segment("HELD_BACK"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        List<Long> ids = transactions.executeWrite(s -> outbox.claim("held-back-node", clock.instant(), 10, Channel.EMAIL));
        assertEquals(1, ids.size());
        Claimed claimed = outbox.load(ids).get(0);
        ChannelCircuit circuit = new ChannelCircuit(clock, Duration.ofSeconds(5), Duration.ofMinutes(1));
        Sender sender = new Sender(builder, checks, settings, clock);
        AtomicBoolean handedOver = new AtomicBoolean();
        Messenger relay = new Messenger() {
            @Override
            public Channel channel() {
                return Channel.EMAIL;
            }

            @Override
            public SendOutcome send(OutgoingMessage message, Handover handover) {
                try {
                    handover.await();
                } catch (RuntimeException e) {
                    return new SendOutcome.Unavailable("not handed over: " + e.getMessage());
                }
                handedOver.set(true);
                return new SendOutcome.Sent("relay-id");
            }
        };

        Recorder.Result result = sender.send(claimed, relay, circuit, () -> {
            throw new IllegalStateException("this node was declared dead");
        });

        assertFalse(handedOver.get());
        assertEquals(Recorder.Kind.RESCHEDULE, result.kind(), result.reason());
        assertTrue(result.reason().contains("declared dead"), result.reason());
        assertEquals(ChannelCircuit.State.CLOSED, circuit.state(), "the provider did nothing wrong");
    }
}
