package health.outreach.tracking;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.SignedWebhooks;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.mail.Header;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What anyone who sees an email's headers (a relay's log, a reply or forward that quotes them) can do
 * with them: the Message-ID opens nothing, and the List-Unsubscribe URL only unsubscribes. The email
 * goes through real SMTP (GreenMail) and the headers are read as a mail client reads them.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailHeaderTokensTest implements TestPropertyProvider {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("header-tokens-secret".getBytes());
    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0";
    private static final Pattern BOOK_LINK = Pattern.compile("https://outreach\\.example\\.org/book/([A-Za-z0-9_-]{22})");
    private static final Pattern MESSAGE_ID = Pattern.compile("<([A-Za-z0-9_-]{22})@program\\.example\\.org>");
    private static final Pattern LIST_UNSUBSCRIBE = Pattern.compile(
            "<https://outreach\\.example\\.org/u/([A-Za-z0-9_-]{22})>, <mailto:unsubscribe@program\\.example\\.org\\?subject=unsubscribe%20([A-Za-z0-9_-]{22})>");

    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        greenMail.start();
        return Map.of("outreach.email.transport", "smtp",
                "outreach.email.smtp.host", "127.0.0.1",
                "outreach.email.smtp.port", Integer.toString(greenMail.getSmtp().getPort()),
                "outreach.email.from", "Spine Program <outreach@program.example.org>",
                "outreach.public-url", "https://outreach.example.org",
                "outreach.tracking.opens", "true",
                "outreach.tracking.email-webhook-secrets", SECRET);
    }

    @AfterAll
    void stop() {
        greenMail.stop();
    }

    /** One email as it arrived, with the tokens it carries where. */
    private record Received(long contact, long message, String actionToken, String headerId, String unsubscribeToken,
                            String mailtoToken, List<Header> headers) {
    }

    @Test
    void noHeaderButListUnsubscribeCarriesACapabilityAndThatOneOnlyUnsubscribes() throws Exception {
        fixture.daytime();
        String tag = "HDR01";
        long ana = fixture.contact(tag, "ana.headers@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        long bo = fixture.contact(tag, "bo.headers@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);

        Received anaMail = received(campaign, ana, "ana.headers@example.org");
        Received boMail = received(campaign, bo, "bo.headers@example.org");
        for (Received r : List.of(anaMail, boMail)) {
            for (Header h : r.headers()) {
                if (!h.getName().equalsIgnoreCase("List-Unsubscribe")) {
                    assertFalse(h.getValue().contains(r.actionToken()), h.getName() + " carries the action token: " + h.getValue());
                    assertFalse(h.getValue().contains(r.unsubscribeToken()), h.getName() + " carries the unsubscribe token: " + h.getValue());
                }
            }
            assertNotEquals(r.actionToken(), r.headerId(), "the Message-ID is not the action token");
            assertNotEquals(r.actionToken(), r.unsubscribeToken(), "List-Unsubscribe carries an unsubscribe-only token");
            assertNotEquals(r.headerId(), r.unsubscribeToken());
            assertEquals(r.unsubscribeToken(), r.mailtoToken(), "the https and mailto forms name the same capability");
        }

        // The Message-ID opens nothing at all.
        for (String value : List.of(anaMail.headerId(), boMail.headerId())) {
            assertNothingOpens(value, anaMail.message(), true);
        }
        // The List-Unsubscribe token opens neither preferences, booking, tracked links nor the open pixel.
        assertNothingOpens(anaMail.unsubscribeToken(), anaMail.message(), false);
        assertUntouched(ana, anaMail.message());
        assertUntouched(bo, boMail.message());

        // What it does open: the unsubscribe question (with no way on to the preferences), and RFC 8058 one-click.
        Api.Response page = get("/u/" + anaMail.unsubscribeToken());
        assertEquals(200, page.status());
        assertTrue(page.body().contains("action=\"/u/" + anaMail.unsubscribeToken() + "\""), page.body());
        assertFalse(page.body().contains("/p/"), "an unsubscribe-only token offers no preferences link: " + page.body());
        Api.Response oneClick = api().send(HttpRequest.POST("/u/" + anaMail.unsubscribeToken(), "List-Unsubscribe=One-Click")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE).header("User-Agent", "Mail client"));
        assertEquals(200, oneClick.status(), oneClick.body());
        assertEquals("OPTED_OUT", consent(ana));
        assertEquals("OPTED_IN", consent(bo));

        // The mailto form arrives through the mail system's signed webhook with the subject the header set.
        Api.Response mailto = emailEvent("{\"type\":\"unsubscribe\",\"subject\":\"unsubscribe " + boMail.mailtoToken() + "\"}");
        assertEquals(200, mailto.status(), mailto.body());
        assertEquals("OPTED_OUT", consent(bo), "the mailto: unsubscribe is honoured");

        // The Message-ID still finds its message for the mail system's reports.
        Api.Response delivered = emailEvent("{\"type\":\"delivered\",\"messageId\":\"<" + boMail.headerId() + "@program.example.org>\"}");
        assertEquals(200, delivered.status(), delivered.body());
        assertEquals("DELIVERED", jdbc.queryOne("SELECT status FROM message WHERE id = ?", rs -> rs.getString(1), boMail.message())
                .orElseThrow());

        // The person's own links still do all they did.
        assertEquals(200, get("/p/" + anaMail.actionToken()).status());
        assertEquals(200, get("/book/" + anaMail.actionToken()).status());
        Api.Response ownUnsubscribe = get("/u/" + anaMail.actionToken());
        assertEquals(200, ownUnsubscribe.status());
        assertTrue(ownUnsubscribe.body().contains("href=\"/p/" + anaMail.actionToken() + "\""), ownUnsubscribe.body());
        assertEquals(302, get(fixture.firstLinkPath(anaMail.message())).status());
    }

    /** Every public endpoint answers {@code value} with the neutral page, as for a token never issued. */
    private void assertNothingOpens(String value, long message, boolean includingUnsubscribe) {
        long link = jdbc.queryLong("SELECT MIN(l.id) FROM template_link l JOIN message m ON m.template_version_id = l.template_version_id "
                + "WHERE m.id = ?", message);
        String neutral = get("/p/AAAAAAAAAAAAAAAAAAAAAA").body();
        for (String path : List.of("/p/" + value, "/book/" + value, "/r/" + value + "-" + link)) {
            Api.Response r = get(path);
            assertEquals(404, r.status(), path + " -> " + r.body());
            assertEquals(neutral, r.body(), path);
        }
        // The pixel answers every token with the same image; that nothing was recorded is checked after.
        assertEquals(200, get("/o/" + value + ".gif").status());
        assertEquals(404, postForm("/p/" + value, "csrf=x&email=no&sms=no&language=es&pause=30").status());
        assertEquals(404, postForm("/book/" + value, "csrf=x&clinic=1&times=mornings&method=PHONE").status());
        if (includingUnsubscribe) {
            assertEquals(404, get("/u/" + value).status());
            assertEquals(404, postForm("/u/" + value, "List-Unsubscribe=One-Click").status());
        }
    }

    private void assertUntouched(long contact, long message) {
        assertEquals("OPTED_IN", consent(contact));
        assertEquals("en-US", jdbc.queryOne("SELECT locale FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow());
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM consent_event WHERE contact_id = ? AND action = 'OPT_OUT'", contact));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM booking WHERE contact_id = ?", contact));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM message WHERE id = ? AND (clicked_at IS NOT NULL OR opened_at IS NOT NULL)",
                message));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM event WHERE message_id = ? AND event_type IN ('CLICKED', 'OPENED')", message));
    }

    private Received received(long campaign, long contact, String address) throws Exception {
        MimeMessage mail = Arrays.stream(greenMail.getReceivedMessages()).filter(m -> recipient(m).equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no email for " + address));
        long message = jdbc.queryLong("SELECT id FROM message WHERE campaign_id = ? AND contact_id = ?", campaign, contact);
        String html = (String) ((MimeMultipart) mail.getContent()).getBodyPart(1).getContent();
        Matcher book = BOOK_LINK.matcher(html);
        assertTrue(book.find(), html);
        String actionToken = book.group(1);
        assertEquals(fixture.token(message), actionToken, "the body's links carry the message's action token");
        Matcher id = MESSAGE_ID.matcher(mail.getMessageID());
        assertTrue(id.matches(), mail.getMessageID());
        Matcher unsubscribe = LIST_UNSUBSCRIBE.matcher(mail.getHeader("List-Unsubscribe", null));
        assertTrue(unsubscribe.matches(), mail.getHeader("List-Unsubscribe", null));
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post", null));
        return new Received(contact, message, actionToken, id.group(1), unsubscribe.group(1), unsubscribe.group(2),
                Collections.list(mail.getAllHeaders()));
    }

    private Api api() {
        return new Api(client);
    }

    private Api.Response get(String path) {
        return api().send(HttpRequest.GET(path).header("User-Agent", BROWSER));
    }

    private Api.Response postForm(String path, String form) {
        return api().send(HttpRequest.POST(path, form).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .header("User-Agent", BROWSER).header("Sec-Fetch-Site", "same-origin"));
    }

    private Api.Response emailEvent(String body) {
        return api().send(SignedWebhooks.post("/webhooks/email/events", SECRET, "evt_" + UUID.randomUUID(),
                fixture.clock().instant().getEpochSecond(), body));
    }

    private String consent(long contact) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
