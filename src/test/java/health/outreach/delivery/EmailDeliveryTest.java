package health.outreach.delivery;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import health.outreach.common.Channel;
import health.outreach.contact.ConsentState;
import health.outreach.support.DeliveryFixture;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A campaign through real SMTP (GreenMail) and everything an inbox sees. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailDeliveryTest implements TestPropertyProvider {

    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Override
    public Map<String, String> getProperties() {
        greenMail.start();
        return Map.of("outreach.email.transport", "smtp",
                "outreach.email.smtp.host", "127.0.0.1",
                "outreach.email.smtp.port", Integer.toString(greenMail.getSmtp().getPort()),
                "outreach.email.from", "Spine Program <outreach@program.example.org>",
                "outreach.public-url", "https://outreach.example.org");
    }

    @AfterAll
    void stop() {
        greenMail.stop();
    }

    @Test
    void reachesEveryConsentingRecipientOnceWithCompliantHeadersAndBothParts() throws Exception {
        fixture.daytime();
        String tag = "EM001";
        fixture.contact(tag, "ana@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        fixture.contact(tag, "bo@example.org", null, "America/Denver", ConsentState.OPTED_IN, ConsentState.NONE);
        fixture.contact(tag, "out@example.org", null, "America/Chicago", ConsentState.OPTED_OUT, ConsentState.NONE);
        long lateOptOut = fixture.contact(tag, "late@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ?", campaign), "consent decided in SQL at fan-out");

        // Consent withdrawn after the message was queued: re-checked when it is claimed.
        optOut(lateOptOut);

        fixture.drain(dispatcher);
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(List.of("ana@example.org", "bo@example.org"),
                Arrays.stream(received).map(m -> address(m)).sorted().toList());
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SKIPPED'", campaign));

        MimeMessage mail = Arrays.stream(received).filter(m -> address(m).equals("ana@example.org")).findFirst().orElseThrow();
        long anaMessage = messageOf(campaign, "ana@example.org");
        String token = fixture.token(anaMessage);
        assertTrue(mail.getMessageID().matches("<[A-Za-z0-9_-]{22}@program\\.example\\.org>"), mail.getMessageID());
        assertFalse(mail.getMessageID().contains(token), "the Message-ID grants nothing: it is not the action token");
        assertEquals("Hello Pat", mail.getSubject());
        String unsubscribe = fixture.unsubscribeToken(anaMessage);
        assertEquals("<https://outreach.example.org/u/" + unsubscribe + ">, <mailto:unsubscribe@program.example.org?subject=unsubscribe%20"
                + unsubscribe + ">", mail.getHeader("List-Unsubscribe", null), "the unsubscribe-only token, not the action token");
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post", null));
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).getContentType().startsWith("text/plain"));
        assertTrue(parts.getBodyPart(1).getContentType().startsWith("text/html"));
        String html = (String) parts.getBodyPart(1).getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String tracked = "https://outreach.example.org" + fixture.firstLinkPath(anaMessage);
        assertTrue(html.contains(tracked), "the article link is tracked: " + html);
        assertTrue(html.contains("https://outreach.example.org/book/" + token), html);
        assertTrue(text.contains(tracked), text);
        assertEquals("https://example.org/spine", fixture.firstLinkUrl(anaMessage));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM template_link l JOIN message m ON m.template_version_id = l.template_version_id "
                + "WHERE m.id = ?", anaMessage), "one stored link for the template version, none per message");

        assertEquals(2, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT' AND sent_at IS NOT NULL", campaign));
        assertEquals(2, fixture.count("SELECT COALESCE(SUM(sent), 0) FROM report_counter WHERE campaign_id = ?", campaign));
        assertEquals(2, fixture.count("SELECT reached FROM campaign_counter WHERE campaign_id = ?", campaign));
        assertEquals(0, fixture.drain(dispatcher), "nothing left: sending again sends nothing");
        assertEquals(2, greenMail.getReceivedMessages().length);
    }

    @Inject
    health.outreach.common.Jdbc jdbc;

    private void optOut(long contactId) {
        jdbc.update("UPDATE contact SET email_consent = 'OPTED_OUT' WHERE id = ?", contactId);
    }

    private long messageOf(long campaign, String email) {
        return jdbc.queryLong("SELECT m.id FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.campaign_id = ? AND c.email = ?",
                campaign, email);
    }

    private static String address(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
