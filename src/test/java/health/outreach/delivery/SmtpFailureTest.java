package health.outreach.delivery;

import health.outreach.channel.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.contact.ContactStore;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SMTP server that answers with chosen codes, at RCPT or after the message data: 421 and 451 are
 * retried, 550 fails and suppresses the address; a server that goes silent or closes the connection
 * after the message data leaves the outcome unknown (not retried blindly). Nothing is lost: every message ends in a definite state.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpFailureTest implements TestPropertyProvider {

    /** Local parts that still get their scripted failure; the rest are accepted. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    /** Holds the silent server's answer until the test has seen the client give up waiting for it. */
    private volatile CountDownLatch silence = new CountDownLatch(0);
    private SMTPServer server;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Sweeper sweeper;

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Jdbc jdbc;

    @Override
    public Map<String, String> getProperties() {
        int port = freePort();
        server = SMTPServer.port(port).messageHandlerFactory(this::handler).build();
        server.start();
        return Map.of("outreach.email.transport", "smtp",
                "outreach.email.smtp.host", "127.0.0.1",
                "outreach.email.smtp.port", Integer.toString(port),
                "outreach.email.smtp.read-timeout", "PT1S",
                "outreach.dispatch.max-attempts", "2",
                "outreach.dispatch.error-min-sample", "20");
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            private String recipient;

            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String to) throws RejectException {
                recipient = to;
                String local = to.substring(0, to.indexOf('@'));
                if (local.startsWith("refused")) {
                    throw new RejectException(550, "5.1.1 User unknown");
                }
                if (failing.contains(local)) {
                    switch (local) {
                        case "t421" -> throw new RejectException(421, "4.3.2 Service not available, try later");
                        case "t451" -> throw new RejectException(451, "4.7.1 Greylisted, try again");
                        case "t550" -> throw new RejectException(550, "5.1.1 User unknown");
                        default -> {
                        }
                    }
                }
            }

            @Override
            public String data(InputStream data) throws IOException, RejectException {
                data.readAllBytes();
                String local = recipient.substring(0, recipient.indexOf('@'));
                if (failing.contains(local)) {
                    switch (local) {
                        case "d451" -> throw new RejectException(451, "4.3.0 Queue full, try again");
                        case "d550" -> throw new RejectException(550, "5.7.1 Message refused as spam");
                        case "dgone" -> throw new RejectException(550, "5.1.1 Mailbox does not exist");
                        case "dropped" -> {
                            accepted.add(recipient);
                            ((Session) context).closeSocket(); // the data arrived; the answer never will
                            return null;
                        }
                        default -> {
                        }
                    }
                }
                if (recipient.startsWith("silent") && failing.contains("silent")) {
                    try {
                        silence.await(60, TimeUnit.SECONDS); // answers only after the client's read timeout gave up
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                accepted.add(recipient);
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @AfterAll
    void stop() {
        server.stop();
    }

    @Test
    void eachSmtpAnswerLeadsToItsStateAndNothingIsLost() {
        fixture.daytime();
        accepted.clear();
        silence = new CountDownLatch(1);
        String tag = "SF001";
        // t*: refused at RCPT; d*: refused after the end-of-data dot (d550 for its content, dgone for
        // its mailbox: only that one suppresses the address); dropped: connection closed
        // after the data arrived, with no answer; silent: no answer within the read timeout.
        for (String local : new String[]{"t421", "t451", "t550", "d451", "d550", "dgone", "dropped", "silent", "ok"}) {
            fixture.contact(tag, local + "@example.org", null, "America/New_York", ConsentState.OPTED_IN, ConsentState.NONE);
            if (!local.equals("ok")) {
                failing.add(local);
            }
        }
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        silence.countDown();
        assertEquals(Map.of("t421@example.org", "PENDING", "t451@example.org", "PENDING", "t550@example.org", "BOUNCED",
                "d451@example.org", "PENDING", "d550@example.org", "FAILED", "dgone@example.org", "BOUNCED",
                "dropped@example.org", "UNKNOWN", "silent@example.org", "UNKNOWN", "ok@example.org", "SENT"), states(campaign));
        for (String bounced : new String[]{"t550@example.org", "dgone@example.org"}) {
            assertEquals(1, fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash(bounced)),
                    bounced + " is suppressed");
        }
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash("t421@example.org")));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash("d451@example.org")));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash("d550@example.org")),
                "a message refused for its content says nothing about the address");
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM event WHERE campaign_id = ? AND event_type = 'UNKNOWN'", campaign));
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'PENDING' AND due_at > ?",
                campaign, fixture.clock().instant()), "retries wait for their backoff");

        // Second attempt, still refused: max-attempts is 2, so the transient failures become FAILED (retryable).
        fixture.clock().advance(Duration.ofHours(2));
        fixture.drain(dispatcher);
        assertEquals("FAILED", states(campaign).get("t421@example.org"));
        assertEquals("FAILED", states(campaign).get("d451@example.org"));
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND failure_kind = 'TRANSIENT'", campaign));
        assertEquals("PERMANENT", jdbc.queryOne("SELECT m.failure_kind FROM message m JOIN contact c ON c.id = m.contact_id "
                + "WHERE c.email = 'd550@example.org'", rs -> rs.getString(1)).orElseThrow());

        // Nothing is pending any more, so the sweep completes the campaign.
        sweeper.sweep();
        assertEquals("COMPLETED", campaignStatus(campaign));

        // The server recovers; retry-failed requeues only what may be retried (not the 550s, not the
        // unknown ones) and reopens the completed campaign; a manager may not ask for it.
        failing.clear();
        Api api = new Api(client);
        assertEquals(403, api.post("/api/v1/campaigns/" + campaign + "/retry-failed", Map.of(),
                users.token(api, Role.MANAGER)).status());
        Api.Response retried = api.post("/api/v1/campaigns/" + campaign + "/retry-failed", Map.of(),
                users.token(api, Role.COORDINATOR));
        assertEquals(200, retried.status(), retried.body());
        assertEquals(3, ((Number) retried.json().get("requeued")).intValue());
        assertEquals("RUNNING", campaignStatus(campaign));
        fixture.drain(dispatcher);
        sweeper.sweep();
        assertEquals("COMPLETED", campaignStatus(campaign));
        assertEquals(Map.of("t421@example.org", "SENT", "t451@example.org", "SENT", "t550@example.org", "BOUNCED",
                "d451@example.org", "SENT", "d550@example.org", "FAILED", "dgone@example.org", "BOUNCED", "dropped@example.org", "UNKNOWN",
                "silent@example.org", "UNKNOWN", "ok@example.org", "SENT"), states(campaign));
        await("the silent server took its message in the end").atMost(Duration.ofSeconds(60))
                .until(() -> accepted.contains("silent@example.org"));
        assertEquals(Set.of("t421@example.org", "t451@example.org", "d451@example.org", "ok@example.org", "silent@example.org",
                        "dropped@example.org"), Set.copyOf(accepted),
                "the silent and the dropped server did receive their messages: exactly why those are not resent");
    }

    @Test
    void aCampaignFailingPastTheThresholdPausesItselfWithTheReason() {
        fixture.daytime();
        String tag = "SF002";
        for (int i = 0; i < 24; i++) {
            fixture.contact(tag, "refused" + i + "@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        }
        for (int i = 0; i < 6; i++) {
            fixture.contact(tag, "fine" + i + "@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        }
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(30, fixture.drain(dispatcher));
        sweeper.sweep();
        assertEquals("PAUSED", campaignStatus(campaign), "24 of 30 failed: 80% is past the 25% threshold");
        String reason = jdbc.queryOne("SELECT status_reason FROM campaign WHERE id = ?", rs -> rs.getString(1), campaign).orElseThrow();
        assertTrue(reason.startsWith("paused automatically: 24 of the last 30 sends failed (80%); last error: SMTP 550"), reason);
    }

    private String campaignStatus(long campaign) {
        return jdbc.queryOne("SELECT status FROM campaign WHERE id = ?", rs -> rs.getString(1), campaign).orElseThrow();
    }

    private Map<String, String> states(long campaign) {
        Map<String, String> states = new TreeMap<>();
        jdbc.query("SELECT c.email, m.status FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.campaign_id = ?",
                rs -> states.put(rs.getString(1), rs.getString(2)), campaign);
        return states;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
