package health.outreach.delivery;

import health.outreach.campaign.CampaignService;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestDatabase;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nodes dying, nodes competing, campaigns paused mid-send: every recipient gets exactly one message. */
@MicronautTest(transactional = false)
@Property(name = "outreach.dispatch.poll-interval", value = "PT0.05S")
@Property(name = "outreach.dispatch.email-rate", value = "400")
class ConcurrentDispatchTest {

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Reclaimer sweeper;

    @Inject
    CampaignService campaigns;

    @Inject
    Jdbc jdbc;

    @Inject
    DatasourceConfiguration datasource;

    @Inject
    DispatchMetrics metrics;

    @Inject
    Outbox outbox;

    @Inject
    Recorder recorder;

    @Inject
    TransactionOperations<Connection> transactions;

    @Test
    void aMessageWhoseNodeDiedIsSentOnceByAnotherAndRecorded() {
        String tag = "LEASE1";
        fixture.contacts(tag, 2, "America/Chicago");
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        Instant now = fixture.clock().instant();
        // One message was on the wire of a node that died (its heartbeat went stale); the other is held
        // by a node still working on it.
        long dead = jdbc.queryLong("SELECT MIN(id) FROM message WHERE campaign_id = ?", campaign);
        long alive = jdbc.queryLong("SELECT MAX(id) FROM message WHERE campaign_id = ?", campaign);
        jdbc.update("INSERT INTO dispatch_node (node_id, started_at, heartbeat_at) VALUES ('dead-node', ?, ?)",
                now.minusSeconds(600), now.minusSeconds(60));
        jdbc.update("INSERT INTO dispatch_slot (node_id, slot, message_id) VALUES ('dead-node', 0, ?)", dead);
        jdbc.update("INSERT INTO dispatch_node (node_id, started_at, heartbeat_at) VALUES ('busy-node', ?, ?)", now.minusSeconds(600), now);
        jdbc.update("UPDATE message SET status = 'SENDING', lease_owner = 'dead-node', attempts = 1 WHERE id = ?", dead);
        jdbc.update("UPDATE message SET status = 'SENDING', lease_owner = 'busy-node', attempts = 1 WHERE id = ?", alive);

        assertEquals(0, fixture.drain(dispatcher), "claimed messages are not claimed twice");
        assertEquals(1, sweeper.reclaimOrphans());
        assertEquals(1, fixture.drain(dispatcher));
        assertEquals(0, sweeper.reclaimOrphans());
        assertEquals(0, fixture.drain(dispatcher));
        assertEquals(1, captured(dead));
        assertEquals(0, captured(alive), "a live lease is left alone");
        assertEquals("SENT", jdbc.queryOne("SELECT status FROM message WHERE id = ?", rs -> rs.getString(1), dead).orElseThrow());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM event WHERE message_id = ? AND event_type = 'LEASE_EXPIRED'", dead),
                "the possible duplicate is on record");
        assertEquals(Boolean.TRUE, jdbc.queryOne("SELECT possible_duplicate FROM message WHERE id = ?", rs -> rs.getBoolean(1), dead)
                .orElseThrow());
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM dispatch_node WHERE node_id = 'dead-node'"), "the dead node is forgotten");

        // The dead node comes back and records its own outcome late: its lease is gone, so nothing changes.
        Claimed late = outbox.load(List.of(dead)).get(0);
        transactions.executeWrite(status -> {
            recorder.record(List.of(new Recorder.Result(late, Recorder.Kind.FAILED_PERMANENT, "late answer", null, null, false)),
                    "dead-node", now);
            return null;
        });
        assertEquals("SENT", jdbc.queryOne("SELECT status FROM message WHERE id = ?", rs -> rs.getString(1), dead).orElseThrow());
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM event WHERE message_id = ? AND event_type = 'FAILED'", dead));
        // the busy node finishes its message: nothing is left claimed for the other tests
        jdbc.update("UPDATE message SET status = 'CANCELLED', lease_owner = NULL WHERE id = ?", alive);
        jdbc.update("DELETE FROM dispatch_node WHERE node_id = 'busy-node'");
    }

    @Test
    void twoNodesDrainTenThousandMessagesWithoutADuplicate() {
        String tag = "TWO10K";
        fixture.contacts(tag, 10_000, "America/Chicago");
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(10_000, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ?", campaign));

        long sentHereBefore = metrics.sent(Channel.EMAIL);
        long sentThere;
        try (ApplicationContext second = secondNode()) {
            assertEquals(datasource.getJdbcUrl(), second.getBean(DatasourceConfiguration.class).getJdbcUrl(),
                    "the second node works on the same database");
            Dispatcher other = second.getBean(Dispatcher.class);
            other.start(2);
            dispatcher.start(2);
            try {
                awaitNoneOpen(campaign, Duration.ofMinutes(4));
            } finally {
                dispatcher.stop();
                other.stop();
            }
            sentThere = second.getBean(DispatchMetrics.class).sent(Channel.EMAIL);
        }
        long sentHere = metrics.sent(Channel.EMAIL) - sentHereBefore;
        assertTrue(sentHere > 0 && sentThere > 0, "both nodes sent: " + sentHere + " and " + sentThere);
        assertEquals(10_000, sentHere + sentThere, "each message recorded as sent by exactly one node");
        assertEquals(10_000, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign));
        assertEquals(10_000, jdbc.queryLong("SELECT COUNT(*) FROM captured_message c JOIN message m ON m.id = c.message_id "
                + "WHERE m.campaign_id = ?", campaign));
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM (SELECT c.message_id FROM captured_message c JOIN message m "
                + "ON m.id = c.message_id WHERE m.campaign_id = ? GROUP BY c.message_id HAVING COUNT(*) > 1) d", campaign),
                "no message went out twice");
        assertTrue(jdbc.queryLong("SELECT COUNT(DISTINCT lease_owner) FROM message WHERE campaign_id = ?", campaign) == 0,
                "leases are released on record");
    }

    @Test
    void pauseStopsClaimsAtOnceAndResumeSendsOnlyWhatWasNotSent() {
        String tag = "PAUSE1";
        fixture.contacts(tag, 600, "America/Chicago");
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        dispatcher.start(2);
        try {
            awaitSent(campaign, 100, Duration.ofSeconds(60));
            campaigns.act(campaign, "pause");
        } finally {
            dispatcher.stop(); // the batches in hand finish and are recorded
        }
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENDING'", campaign),
                "a stopped dispatcher leaves nothing claimed");
        long afterPause = sent(campaign);
        assertTrue(afterPause < 600, "paused mid-send: " + afterPause);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, dispatcher.dispatchOnce(), "nothing of a paused campaign is claimed");
        }
        assertEquals(afterPause, sent(campaign));

        campaigns.act(campaign, "resume");
        dispatcher.start(2);
        try {
            awaitNoneOpen(campaign, Duration.ofSeconds(120));
        } finally {
            dispatcher.stop();
        }
        assertEquals(600, sent(campaign));
        assertEquals(600, jdbc.queryLong("SELECT COUNT(DISTINCT m.contact_id) FROM captured_message c JOIN message m "
                + "ON m.id = c.message_id WHERE m.campaign_id = ?", campaign));
        assertEquals(600, jdbc.queryLong("SELECT COUNT(*) FROM captured_message c JOIN message m ON m.id = c.message_id "
                + "WHERE m.campaign_id = ?", campaign), "every recipient exactly one message");
    }

    private ApplicationContext secondNode() {
        Map<String, Object> props = new HashMap<>();
        props.put("datasources.default.url", datasource.getJdbcUrl());
        props.put("datasources.default.username", datasource.getUsername());
        props.put("datasources.default.password", datasource.getPassword() == null ? "" : datasource.getPassword());
        props.put("datasources.default.driver-class-name", datasource.getDriverClassName());
        props.put(TestDatabase.JOIN, true);
        props.put("outreach.seeds-enabled", false);
        props.put("outreach.dispatch.enabled", false);
        props.put("outreach.dispatch.poll-interval", "PT0.05S");
        props.put("outreach.scheduler.enabled", false);
        props.put("outreach.security.admin-password", "second-node-admin");
        return ApplicationContext.run(props);
    }

    private long sent(long campaign) {
        return jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign);
    }

    private long captured(long messageId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM captured_message WHERE message_id = ?", messageId);
    }

    private void awaitSent(long campaign, long count, Duration timeout) {
        await(count + " sends").atMost(timeout).until(() -> sent(campaign) >= count);
    }

    private void awaitNoneOpen(long campaign, Duration timeout) {
        await("the outbox drained").atMost(timeout).until(() -> jdbc.queryLong(
                "SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status IN ('PENDING', 'SENDING')", campaign) == 0);
    }
}
