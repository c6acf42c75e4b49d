package health.outreach.signup;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double opt-in by email through the real server and real SMTP (GreenMail): the form, the request to
 * confirm in the inbox, a GET that only asks, the POST that confirms, the ledger, the enrollment,
 * one reminder and expiry on the test clock, and a second sign-up that sends nothing.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignupEmailTest implements TestPropertyProvider {

    private static final String PUBLIC_URL = "https://outreach.example.org";
    private static final Pattern CONFIRM = Pattern.compile(Pattern.quote(PUBLIC_URL) + "(/join/confirm/[A-Za-z0-9_-]{22})");
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @Inject
    DeliveryFixture fixture;
    @Inject
    Dispatcher dispatcher;
    @Inject
    Jdbc jdbc;
    @Inject
    TestUsers users;
    @Inject
    SignupSweep sweep;
    @Inject
    @Client("/")
    HttpClient client;

    private String key;
    private long campaign;

    @Override
    public Map<String, String> getProperties() {
        greenMail.start();
        return Map.of("outreach.email.transport", "smtp",
                "outreach.email.smtp.host", "127.0.0.1",
                "outreach.email.smtp.port", Integer.toString(greenMail.getSmtp().getPort()),
                "outreach.public-url", PUBLIC_URL,
                "outreach.security.trusted-proxies", "127.0.0.1/32,::1/128");
    }

    @AfterAll
    void stop() {
        greenMail.stop();
    }

    @BeforeEach
    void form() {
        fixture.daytime();
        Api api = new Api(client);
        String tag = "SU" + UUID.randomUUID().toString().substring(0, 6);
        campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        key = "fair-" + tag.toLowerCase();
        Api.Response created = api.post("/api/v1/forms", SignupTestSupport.formBody(key, campaign, Map.of()), users.token(api, Role.COORDINATOR));
        assertEquals(201, created.status(), created.body());
    }

    private SignupTestSupport.Visitor visitor() {
        return new SignupTestSupport.Visitor(new Api(client), "198.51.100." + ADDRESSES.getAndIncrement());
    }

    private List<MimeMessage> mailTo(String address) {
        fixture.drain(dispatcher);
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String text(MimeMessage m) throws Exception {
        return (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
    }

    private String consent(String email) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE email = ?", rs -> rs.getString(1), email).orElse("none");
    }

    private List<Map<String, String>> ledger(String email) {
        return jdbc.query("SELECT e.action, e.source, e.wording, e.evidence, e.message_id FROM consent_event e JOIN contact c "
                + "ON c.id = e.contact_id WHERE c.email = ? ORDER BY e.id", rs -> Map.of("action", rs.getString(1),
                "source", rs.getString(2), "wording", rs.getString(3) == null ? "" : rs.getString(3),
                "evidence", rs.getString(4) == null ? "" : rs.getString(4)), email);
    }

    @Test
    void confirmationEmailAsksByGetConfirmsByPostAndEnrollsIntoTheCampaign() throws Exception {
        String email = "ana." + key + "@example.org";
        SignupTestSupport.Visitor ana = visitor();
        Api.Response done = ana.signUp(key, Map.of("firstName", "Ana", "email", "  Ana." + key + "@Example.org ",
                "channel.EMAIL", "yes"));
        assertEquals(200, done.status(), done.body());
        assertTrue(done.body().contains("Almost done"), done.body());
        assertEquals(ConsentState.PENDING.name(), consent(email));

        List<Map<String, String>> entries = ledger(email);
        assertEquals(1, entries.size(), entries.toString());
        assertEquals("PENDING", entries.get(0).get("action"));
        assertEquals("Email me spine tips (" + key + "), up to 4 a month.", entries.get(0).get("wording"), "the exact words shown");
        assertEquals("sign-up form " + key, entries.get(0).get("source"));
        String evidence = entries.get(0).get("evidence");
        assertTrue(evidence.contains(PUBLIC_URL + "/join/" + key + "?lang=en"), evidence);
        assertTrue(evidence.matches(".*client address hash [0-9a-f]{64}.*"), evidence);
        assertFalse(evidence.contains(ana.address()), "the address itself is never kept");

        List<MimeMessage> inbox = mailTo(email);
        assertEquals(1, inbox.size());
        assertEquals("Please confirm your sign-up", inbox.get(0).getSubject());
        Matcher link = CONFIRM.matcher(text(inbox.get(0)));
        assertTrue(link.find(), text(inbox.get(0)));
        String confirmPath = link.group(1);

        // A mail scanner (or the person) opening the link: a button, no change.
        Api.Response page = ana.get(confirmPath);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<form method=\"post\" action=\"" + confirmPath + "\""), page.body());
        assertEquals(ConsentState.PENDING.name(), consent(email));
        assertEquals(1, ledger(email).size());
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM enrollment e JOIN contact c ON c.id = e.contact_id WHERE c.email = ?", email));

        Api.Response confirmed = ana.post(confirmPath, Map.of("csrf", SignupTestSupport.csrf(page.body())));
        assertEquals(200, confirmed.status(), confirmed.body());
        assertTrue(confirmed.body().contains("You are signed up"), confirmed.body());
        assertEquals(ConsentState.OPTED_IN.name(), consent(email));
        Map<String, String> confirm = ledger(email).get(1);
        assertEquals("CONFIRM", confirm.get("action"));
        assertEquals("Email me spine tips (" + key + "), up to 4 a month.", confirm.get("wording"));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM enrollment e JOIN contact c ON c.id = e.contact_id "
                + "WHERE c.email = ? AND e.campaign_id = ?", email, campaign));

        // The welcome campaign's first email follows without anyone doing anything.
        assertEquals(2, mailTo(email).size());
        assertEquals("Hello Ana", mailTo(email).get(1).getSubject());

        // The link is spent: the neutral page, nothing more.
        assertEquals(404, ana.post(confirmPath, Map.of("csrf", SignupTestSupport.csrf(page.body()))).status());
        assertEquals(2, ledger(email).size());

        // Signing up again once opted in sends nothing and records nothing.
        assertEquals(200, visitor().signUp(key, Map.of("email", email, "channel.EMAIL", "yes")).status());
        assertEquals(2, mailTo(email).size());
        assertEquals(2, ledger(email).size());
    }

    @Test
    void aConfirmPostFromAnotherSiteOrWithoutTheTokenChangesNothing() throws Exception {
        String email = "bo." + key + "@example.org";
        visitor().signUp(key, Map.of("email", email, "channel.EMAIL", "yes"));
        Matcher link = CONFIRM.matcher(text(mailTo(email).get(0)));
        assertTrue(link.find());
        SignupTestSupport.Visitor bo = visitor();
        String token = SignupTestSupport.csrf(bo.get(link.group(1)).body());
        assertEquals(403, bo.post(link.group(1), Map.of()).status());
        assertEquals(403, bo.post(link.group(1), Map.of("csrf", token), Map.of("Sec-Fetch-Site", "cross-site")).status());
        assertEquals(ConsentState.PENDING.name(), consent(email));
    }

    @Test
    void anUnconfirmedRequestIsRemindedOnceThenLapses() throws Exception {
        String email = "cy." + key + "@example.org";
        visitor().signUp(key, Map.of("email", email, "channel.EMAIL", "yes"));
        assertEquals(1, mailTo(email).size());

        fixture.clock().advance(Duration.ofDays(1));
        sweep.sweep();
        assertEquals(1, mailTo(email).size(), "no reminder before remind-after (2 days)");

        fixture.clock().advance(Duration.ofDays(1).plusMinutes(1));
        sweep.sweep();
        sweep.sweep();
        List<MimeMessage> inbox = mailTo(email);
        assertEquals(2, inbox.size(), "one reminder, however often the sweep runs");
        Matcher reminderLink = CONFIRM.matcher(text(inbox.get(1)));
        assertTrue(reminderLink.find());

        fixture.clock().advance(Duration.ofDays(3));
        sweep.sweep();
        assertEquals(2, mailTo(email).size(), "never a second reminder");

        fixture.clock().advance(Duration.ofDays(2));
        sweep.sweep();
        assertEquals("EXPIRED", jdbc.queryOne("SELECT r.status FROM signup_request r JOIN contact c ON c.id = r.contact_id "
                + "WHERE c.email = ?", rs -> rs.getString(1), email).orElseThrow());
        SignupTestSupport.Visitor cy = visitor();
        assertEquals(404, cy.get(reminderLink.group(1)).status(), "a lapsed link gets the neutral page");
        assertEquals(ConsentState.PENDING.name(), consent(email), "never confirmed: never reachable");
        assertEquals(2, mailTo(email).size());
    }
}
