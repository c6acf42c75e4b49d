package health.outreach.channel.email;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transfer encoding chosen per part survives serialisation, and the content reads back unchanged. */
class MimeMessagesTest {

    private final Session session = Session.getInstance(new Properties());

    @Test
    void asciiGoesAsSevenBitAndEverythingElseAsQuotedPrintable() throws Exception {
        String text = "Hello Ana,\r\nbook a consultation: https://outreach.example.org/book/abc\r\n";
        String html = "<p>Hola María — cuida tu espalda</p>" + "<span>x</span>".repeat(100); // non-ASCII, one 1,500-char line
        MimeMessage parsed = roundTrip(new ComposedEmail("outreach@example.org", "ana@example.org", "Your spine", text, html,
                "<tok@example.org>", Map.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")));
        Multipart parts = (Multipart) parsed.getContent();
        MimeBodyPart plain = (MimeBodyPart) parts.getBodyPart(0);
        MimeBodyPart rich = (MimeBodyPart) parts.getBodyPart(1);
        assertEquals("7bit", plain.getEncoding());
        assertEquals("quoted-printable", rich.getEncoding());
        assertEquals(text, plain.getContent());
        assertEquals(html, rich.getContent());
        assertTrue(plain.isMimeType("text/plain"));
        assertTrue(rich.isMimeType("text/html"));
    }

    @Test
    void headersAreThereAndAPartContainingTheBoundaryIsStillReadBackWhole() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MimeMessage built = MimeMessages.of(session, new ComposedEmail("Outreach <outreach@example.org>", "ana@example.org",
                "Cuida tu espalda", "x", "<p>x</p>", "<tok@example.org>", Map.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")));
        built.writeTo(out);
        String boundary = new jakarta.mail.internet.ContentType(built.getContentType()).getParameter("boundary");
        String sneaky = "line\r\n--" + boundary + "--\r\nafter the fake end\r\n";
        MimeMessage parsed = roundTrip(new ComposedEmail("outreach@example.org", "ana@example.org", "s", sneaky, "<p>y</p>",
                "<tok2@example.org>", Map.of()));
        Multipart parts = (Multipart) parsed.getContent();
        assertEquals(2, parts.getCount());
        assertEquals(sneaky, parts.getBodyPart(0).getContent());

        MimeMessage headers = new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));
        assertEquals("<tok@example.org>", headers.getMessageID());
        assertEquals("1.0", headers.getHeader("MIME-Version", null));
        assertEquals("List-Unsubscribe=One-Click", headers.getHeader("List-Unsubscribe-Post", null));
        assertEquals("Cuida tu espalda", headers.getSubject());
        assertEquals("ana@example.org", headers.getAllRecipients()[0].toString());
        assertTrue(headers.getSentDate() != null);
        assertTrue(headers.isMimeType("multipart/alternative"));
    }

    @Test
    void sevenBitNeedsAsciiShortLinesAndPairedLineBreaks() {
        assertTrue(MimeMessages.sevenBitSafe("plain\r\ntext\n"));
        assertFalse(MimeMessages.sevenBitSafe("café"));
        assertFalse(MimeMessages.sevenBitSafe("lone\rCR"));
        assertFalse(MimeMessages.sevenBitSafe("nul\0"));
        assertTrue(MimeMessages.sevenBitSafe("a".repeat(998) + "\n" + "b".repeat(998)));
        assertFalse(MimeMessages.sevenBitSafe("a".repeat(999)));
    }

    private MimeMessage roundTrip(ComposedEmail email) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MimeMessages.of(session, email).writeTo(out);
        return new MimeMessage(session, new ByteArrayInputStream(out.toByteArray()));
    }
}
