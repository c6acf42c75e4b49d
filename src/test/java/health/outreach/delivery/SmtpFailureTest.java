package health.outreach.delivery;

import health.outreach.schedule.Sweep;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.contact.ContactStore;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.ScriptedSmtpServer;
import health.outreach.support.ScriptedSmtpServer.Answer;
import health.outreach.support.ScriptedSmtpServer.Stage;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every coded SMTP reply is honoured wherever it comes, against a real SMTP server that answers as
 * scripted (and closes the connection where a relay would): refusals of one message retry or fail
 * it; a relay that cannot take mail (421 anywhere, connection refused) backs the channel off and
 * costs no message anything; only silence after the data is "unknown", and an operator resolves it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpFailureTest implements TestPropertyProvider {

    private ScriptedSmtpServer relay;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Sweep sweeper;

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Jdbc jdbc;

    @Override
    public Map<String, String> getProperties() {
        try {
            relay = new ScriptedSmtpServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("outreach.email.transport", "smtp",
                "outreach.email.smtp.host", "127.0.0.1",
                "outreach.email.smtp.port", Integer.toString(relay.port()),
                "outreach.email.smtp.read-timeout", "PT1S",
                "outreach.dispatch.give-up-after", "PT3H",
                "outreach.dispatch.error-min-sample", "20");
    }

    @AfterAll
    void stop() throws IOException {
        relay.close();
    }

    /** Daytime in the US, a day later than the last test: time only moves on, as circuits expect. */
    @BeforeEach
    void nextDay() {
        java.time.Instant base = java.time.Instant.parse("2026-06-15T17:00:00Z");
        java.time.Instant now = fixture.clock().instant();
        fixture.clock().set(now.isBefore(base) ? base : base.plus(Duration.ofDays(Duration.between(base, now).toDays() + 1)));
        relay.script((stage, rcpt) -> Answer.OK);
    }

    @Test
    void eachRefusalOfOneMessageLeadsToItsStateWhereverItComes() {
        Map<String, Answer> rcpt = Map.of(
                "r451", Answer.reply("451 4.7.1 Greylisted, try again"),
                "r550", Answer.reply("550 5.1.1 User unknown"),
                "r557", Answer.reply("550 5.7.1 Relaying denied by policy"));
        Map<String, Answer> afterData = Map.of(
                "d451", Answer.replyAndClose("451 4.3.0 Queue full, try again"),
                "d452", Answer.reply("452 4.2.2 Mailbox full"),
                "d554", Answer.replyAndClose("554 5.7.1 Message refused as spam"),
                "dgone", Answer.reply("550 5.1.1 Mailbox does not exist"),
                "dropped", Answer.dropConnection(),
                "silent", Answer.neverAnswer());
        relay.script((stage, to) -> {
            String local = to.substring(0, to.indexOf('@'));
            return (stage == Stage.RCPT ? rcpt : afterData).get(local);
        });
        // Two campaigns with a success between them, so that in whatever order a batch goes, no run
        // of refusals "for now" is long enough to look like a relay in trouble.
        long campaign = launch("SF001", List.of("r451", "ok1", "d451", "r550", "d452", "d554", "r557"));
        fixture.drain(dispatcher);
        launch("SF001OK", List.of("ok3"));
        fixture.drain(dispatcher);
        long unknowns = launch("SF001U", List.of("dropped", "ok2", "silent", "dgone"));
        fixture.drain(dispatcher);

        assertEquals(new TreeMap<>(Map.of("r451", "PENDING", "ok1", "SENT", "d451", "PENDING", "r550", "BOUNCED", "d452", "PENDING",
                "d554", "FAILED", "r557", "FAILED")), states(campaign), () -> jdbc.query("SELECT last_error FROM message WHERE campaign_id = ?", rs -> rs.getString(1), campaign).toString());
        assertEquals(new TreeMap<>(Map.of("dropped", "UNKNOWN", "ok2", "SENT", "silent", "UNKNOWN", "dgone", "BOUNCED")),
                states(unknowns));
        assertEquals("closed", dispatcher.circuit(Channel.EMAIL), "refusals of single messages say nothing about the relay");
        for (String bounced : List.of("r550", "dgone")) {
            assertEquals(1, suppressed(bounced), bounced + " is suppressed");
        }
        for (String kept : List.of("r557", "d554", "d452", "r451")) {
            assertEquals(0, suppressed(kept), kept + ": a refusal of the message or the policy says nothing about the address");
        }
        // The suppression is shown with the consent it overrides, in the API and on the contact's page.
        long bouncedContact = jdbc.queryLong("SELECT id FROM contact WHERE email = 'r550@example.org'");
        Api manager = new Api(client);
        Map<String, Object> contact = manager.get("/api/v1/contacts/" + bouncedContact, users.token(manager, Role.MANAGER)).json();
        assertEquals("OPTED_IN", ((Map<?, ?>) contact.get("consent")).get("EMAIL"));
        Map<?, ?> suppression = (Map<?, ?>) ((List<?>) contact.get("suppressions")).get(0);
        assertEquals(List.of("EMAIL", "HARD_BOUNCE", "message " + messageOf(campaign, "r550")),
                List.of(suppression.get("channel"), suppression.get("reason"), suppression.get("source")));
        String page = users.page(client, Role.MANAGER).get("/admin/contacts/" + bouncedContact).body();
        assertTrue(page.contains("Nothing is sent to these addresses") && page.contains("hard bounce"), page);
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'PENDING' AND due_at > ? "
                + "AND attempts = 1", campaign, fixture.clock().instant()), "retries wait for their backoff and count an attempt");
        assertTrue(reason(campaign, "d451").startsWith("SMTP 451 after the message data: 451 4.3.0 Queue full"), reason(campaign, "d451"));
        assertEquals(2, fixture.count("SELECT COALESCE(SUM(unknown_outcome), 0) FROM report_counter WHERE campaign_id = ?", unknowns));

        // The retries after their backoff: still refused, within the time budget: retried again.
        fixture.clock().advance(Duration.ofHours(2));
        fixture.drain(dispatcher);
        assertEquals("PENDING", states(campaign).get("d452"));
        // Past the 3 h budget: given up, and retry-failed may requeue them.
        fixture.clock().advance(Duration.ofHours(2));
        fixture.drain(dispatcher);
        assertEquals("FAILED", states(campaign).get("d452"));
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND failure_kind = 'TRANSIENT'", campaign));
        assertTrue(reason(campaign, "r451").startsWith("gave up 3 h after the first attempt: SMTP 451"), reason(campaign, "r451"));

        sweeper.run();
        assertEquals("COMPLETED", campaignStatus(campaign));
        assertEquals("COMPLETED", campaignStatus(unknowns), "unknown outcomes do not hold a campaign open; they wait for an operator");

        // The relay recovers. retry-failed requeues what may be retried (not the 5xx, not the
        // unknown ones) and reopens the completed campaign; a manager may not ask for it.
        relay.script((stage, to) -> Answer.OK);
        Api api = new Api(client);
        assertEquals(403, api.post("/api/v1/campaigns/" + campaign + "/retry-failed", Map.of(), users.token(api, Role.MANAGER)).status());
        Api.Response retried = api.post("/api/v1/campaigns/" + campaign + "/retry-failed", Map.of(), users.token(api, Role.COORDINATOR));
        assertEquals(200, retried.status(), retried.body());
        assertEquals(3, ((Number) retried.json().get("requeued")).intValue());
        fixture.drain(dispatcher);
        assertEquals("SENT", states(campaign).get("d452"));

        // The unknown ones: one is resent (it may arrive twice: flagged), the other counted as sent.
        long dropped = messageOf(unknowns, "dropped");
        assertEquals(403, api.post("/api/v1/campaigns/" + unknowns + "/unknown/resend", Map.of("messageIds", List.of(dropped)),
                users.token(api, Role.MANAGER)).status());
        Api.Response resent = api.post("/api/v1/campaigns/" + unknowns + "/unknown/resend", Map.of("messageIds", List.of(dropped)),
                users.token(api, Role.COORDINATOR));
        assertEquals(Map.of("resent", 1), resent.json(), resent.body());
        assertEquals("RUNNING", campaignStatus(unknowns), "reopened to resend");
        Api.Response marked = api.post("/api/v1/campaigns/" + unknowns + "/unknown/mark-sent", Map.of(), users.token(api, Role.COORDINATOR));
        assertEquals(Map.of("markedSent", 1), marked.json(), marked.body());
        fixture.drain(dispatcher);
        sweeper.run();
        assertEquals("COMPLETED", campaignStatus(unknowns));
        Map<String, String> finalStates = states(unknowns);
        assertEquals("SENT", finalStates.get("dropped"));
        assertEquals("SENT", finalStates.get("silent"));
        assertEquals(Boolean.TRUE, jdbc.queryOne("SELECT possible_duplicate FROM message WHERE id = ?", rs -> rs.getBoolean(1), dropped)
                .orElseThrow(), "the resent one is flagged");
        assertEquals(0, fixture.count("SELECT COALESCE(SUM(unknown_outcome), 0) FROM report_counter WHERE campaign_id = ?", unknowns));
        assertEquals(1, fixture.count("SELECT COALESCE(SUM(possible_duplicate), 0) FROM report_counter WHERE campaign_id = ?", unknowns));
        assertEquals(3, fixture.count("SELECT COALESCE(SUM(sent), 0) FROM report_counter WHERE campaign_id = ?", unknowns),
                "ok2, the resent one and the one counted as sent");
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND action LIKE 'campaign.unknown-%'",
                String.valueOf(unknowns)));
        assertEquals(1, relay.accepted("silent@example.org"), "the silent relay did take the message: exactly why it is not resent blindly");
        assertEquals(2, relay.accepted("dropped@example.org"), "taken before the drop, and again when resent");
    }

    @Test
    void aRelayAnswering421AfterTheDataAndHangingUpLosesNothingAndPausesNothing() {
        relay.script((stage, to) -> stage == Stage.AFTER_DATA ? Answer.replyAndClose("421 4.3.2 Service shutting down") : null);
        List<String> people = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "b" + i).toList();
        long campaign = launch("SF421", people);
        fixture.drain(dispatcher);

        assertEquals(30, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'PENDING'", campaign),
                "nothing unknown, nothing failed: a coded 421 after the data is the relay's 'not now'");
        assertEquals(0, fixture.count("SELECT COALESCE(SUM(attempts), 0) FROM message WHERE campaign_id = ?", campaign),
                "and costs no message an attempt");
        assertEquals(1, relay.log().stream().filter(l -> l.contains("421")).count(), "one refusal, then the channel backed off");
        assertEquals("open", dispatcher.circuit(Channel.EMAIL));
        sweeper.run();
        assertEquals("RUNNING", campaignStatus(campaign), "a relay's trouble never pauses a campaign");

        // The burst goes on for a few probes, then the relay takes mail again.
        for (int probe = 0; probe < 3; probe++) {
            fixture.clock().advance(Duration.ofMinutes(5));
            fixture.drain(dispatcher);
        }
        relay.script((stage, to) -> Answer.OK);
        fixture.clock().advance(Duration.ofMinutes(5));
        fixture.drain(dispatcher);
        assertEquals("closed", dispatcher.circuit(Channel.EMAIL));
        assertEquals(30, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign));
        people.forEach(p -> assertEquals(1, relay.accepted(p + "@example.org"), p + " exactly once"));
        sweeper.run();
        assertEquals("COMPLETED", campaignStatus(campaign));
    }

    @Test
    void aRelayThatIsDownForHoursFailsNothingUntilTheTimeBudgetRunsOut() throws IOException {
        long campaign = launch("SFDOWN", List.of("down1", "down2", "down3"));
        relay.down();
        try {
            for (int hour = 0; hour < 2; hour++) {
                fixture.clock().advance(Duration.ofHours(1));
                fixture.drain(dispatcher);
            }
            assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'PENDING'", campaign));
            assertTrue(fixture.count("SELECT COALESCE(SUM(attempts), 0) FROM message WHERE campaign_id = ?", campaign) == 0,
                    "an outage spends no attempt");
        } finally {
            relay.up();
        }
        fixture.clock().advance(Duration.ofMinutes(5));
        fixture.drain(dispatcher);
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign));

        long late = launch("SFDOWN2", List.of("late1"));
        relay.down();
        try {
            fixture.drain(dispatcher); // first attempt: the budget starts
            fixture.clock().advance(Duration.ofHours(4));
            fixture.drain(dispatcher);
        } finally {
            relay.up();
        }
        assertEquals("FAILED", states(late).get("late1"), () -> "given up once the 3 h budget is spent, whatever the cause: "
                + reason(late, "late1") + "; accepted " + relay.accepted("late1@example.org") + "; relay log " + relay.log());
        assertTrue(reason(late, "late1").startsWith("gave up 3 h after the first attempt"), reason(late, "late1"));
    }

    @Test
    void aCampaignWhoseMessagesAreRefusedPausesItselfAndAResumeStartsAFreshWindow() {
        relay.script((stage, to) -> stage == Stage.RCPT && to.startsWith("refused") ? Answer.reply("550 5.1.1 User unknown") : null);
        List<String> people = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            people.add("refused" + i);
        }
        for (int i = 0; i < 6; i++) {
            people.add("fine" + i);
        }
        long campaign = launch("SF002", people);
        assertEquals(30, fixture.drain(dispatcher));
        sweeper.run();
        assertEquals("PAUSED", campaignStatus(campaign), "24 of 30 refused: 80% is past the 25% threshold");
        String reason = jdbc.queryOne("SELECT status_reason FROM campaign WHERE id = ?", rs -> rs.getString(1), campaign).orElseThrow();
        assertTrue(reason.startsWith("paused automatically: 24 of the last 30 messages were refused (80%); last refusal: SMTP 550"),
                reason);

        Api api = new Api(client);
        assertEquals(200, api.post("/api/v1/campaigns/" + campaign + "/resume", Map.of(), users.token(api, Role.COORDINATOR)).status());
        fixture.clock().advance(Duration.ofSeconds(1));
        sweeper.run();
        assertEquals("COMPLETED", campaignStatus(campaign), "the refusals before the resume do not pause it again: it finishes");
    }

    private long launch(String tag, List<String> locals) {
        for (String local : locals) {
            fixture.contact(tag, local + "@example.org", null, "America/New_York", ConsentState.OPTED_IN, ConsentState.NONE);
        }
        return fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
    }

    private long suppressed(String local) {
        return fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash(local + "@example.org"));
    }

    private long messageOf(long campaign, String local) {
        return jdbc.queryLong("SELECT m.id FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.campaign_id = ? AND c.email = ?",
                campaign, local + "@example.org");
    }

    private String reason(long campaign, String local) {
        return jdbc.queryOne("SELECT last_error FROM message WHERE id = ?", rs -> rs.getString(1), messageOf(campaign, local)).orElse("");
    }

    private String campaignStatus(long campaign) {
        return jdbc.queryOne("SELECT status FROM campaign WHERE id = ?", rs -> rs.getString(1), campaign).orElseThrow();
    }

    /** Message status by the recipient's local part. */
    private Map<String, String> states(long campaign) {
        Map<String, String> states = new TreeMap<>();
        jdbc.query("SELECT c.email, m.status FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.campaign_id = ?",
                rs -> states.put(rs.getString(1).substring(0, rs.getString(1).indexOf('@')), rs.getString(2)), campaign);
        return states;
    }
}
