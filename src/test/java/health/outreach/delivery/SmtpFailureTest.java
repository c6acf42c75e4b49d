package health.outreach.delivery;

import health.outreach.campaign.CampaignService;
import health.outreach.channel.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.contact.ContactStore;
import health.outreach.support.DeliveryFixture;
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

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An SMTP server that answers with chosen codes: 421 and 451 are retried, 550 fails and suppresses
 * the address, a server that goes silent after the message data leaves the outcome unknown (not
 * retried blindly). Nothing is lost: every message ends in a definite state.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpFailureTest implements TestPropertyProvider {

    /** Local parts that still get their scripted failure; the rest are accepted. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private SMTPServer server;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    CampaignService campaigns;

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
                "outreach.dispatch.max-attempts", "2");
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
            public String data(InputStream data) throws IOException {
                data.readAllBytes();
                if (recipient.startsWith("silent") && failing.contains("silent")) {
                    try {
                        Thread.sleep(3_000); // never answers within the client's read timeout
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
        String tag = "SF001";
        for (String local : new String[]{"t421", "t451", "t550", "silent", "ok"}) {
            fixture.contact(tag, local + "@example.org", null, "America/New_York", ConsentState.OPTED_IN, ConsentState.NONE);
            if (!local.equals("ok")) {
                failing.add(local);
            }
        }
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        assertEquals(Map.of("t421@example.org", "PENDING", "t451@example.org", "PENDING", "t550@example.org", "BOUNCED",
                "silent@example.org", "UNKNOWN", "ok@example.org", "SENT"), states(campaign));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash("t550@example.org")));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash("t421@example.org")));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM event WHERE campaign_id = ? AND event_type = 'UNKNOWN'", campaign));
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'PENDING' AND due_at > ?",
                campaign, fixture.clock().instant()), "retries wait for their backoff");

        // Second attempt, still refused: max-attempts is 2, so the transient failures become FAILED (retryable).
        fixture.clock().advance(Duration.ofHours(2));
        fixture.drain(dispatcher);
        assertEquals("FAILED", states(campaign).get("t421@example.org"));
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND failure_kind = 'TRANSIENT'", campaign));

        // The server recovers; retry-failed requeues only what may be retried (not the 550, not the unknown one).
        failing.clear();
        assertEquals(Map.of("requeued", 2L), campaigns.retryFailed(campaign));
        fixture.drain(dispatcher);
        assertEquals(Map.of("t421@example.org", "SENT", "t451@example.org", "SENT", "t550@example.org", "BOUNCED",
                "silent@example.org", "UNKNOWN", "ok@example.org", "SENT"), states(campaign));
        long deadline = System.currentTimeMillis() + 5_000;
        while (!accepted.contains("silent@example.org") && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Set.of("t421@example.org", "t451@example.org", "ok@example.org", "silent@example.org"), Set.copyOf(accepted),
                "the silent server did receive its message: exactly why it is not resent");
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
