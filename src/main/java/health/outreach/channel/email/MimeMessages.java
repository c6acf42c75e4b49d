package health.outreach.channel.email;

import health.outreach.common.RandomTokens;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a composed email into MIME: multipart/alternative, text first, UTF-8, our Message-ID.
 * <p>
 * Jakarta Mail's object model (MimeMultipart, MimeBodyPart, DataHandler) cost more than rendering
 * and recording a message together: on every send it looked up content handlers, re-parsed the
 * parts' headers in saveChanges and encoded bodies a byte per call. So the headers are set through
 * {@link MimeMessage} (address and subject encoding stay Jakarta Mail's), and the multipart body is
 * written here as bytes, which {@link MimeMessage#writeTo} copies to the connection as they are.
 * Each part is 7bit when it is ASCII with short lines, else quoted-printable (safe on every server,
 * whatever its 8BITMIME support). The boundary starts with "=_", which quoted-printable output can
 * never contain; a 7bit part that happens to contain it goes quoted-printable too.
 * {@code MimeMessagesTest} parses the result back with Jakarta Mail.
 */
final class MimeMessages {

    private static final String BOUNDARY_PREFIX = "=_outreach_" + RandomTokens.newToken(9) + "_";
    private static final AtomicLong BOUNDARIES = new AtomicLong();

    private MimeMessages() {
    }

    static MimeMessage of(Session session, ComposedEmail email) throws MessagingException {
        String boundary = BOUNDARY_PREFIX + BOUNDARIES.incrementAndGet();
        Prebuilt message = new Prebuilt(session, email.messageId(), body(boundary, email));
        message.setFrom(new InternetAddress(email.from()));
        message.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(email.to()));
        message.setSubject(email.subject(), "UTF-8");
        message.setHeader("Date", Dates.now());
        message.setHeader("Message-ID", email.messageId());
        message.setHeader("MIME-Version", "1.0");
        for (Map.Entry<String, String> header : email.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        message.setHeader("Content-Type", "multipart/alternative;\r\n\tboundary=\"" + boundary + "\"");
        message.seal();
        return message;
    }

    private static byte[] body(String boundary, ComposedEmail email) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(email.text().length() + email.html().length() * 5 / 4 + 512);
        part(out, boundary, "plain", email.text());
        part(out, boundary, "html", email.html());
        ascii(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, String boundary, String subtype, String content) {
        byte[] utf8 = content.getBytes(StandardCharsets.UTF_8);
        boolean sevenBit = sevenBitSafe(content) && !content.contains(boundary);
        ascii(out, "--" + boundary + "\r\nContent-Type: text/" + subtype + "; charset=UTF-8\r\nContent-Transfer-Encoding: "
                + (sevenBit ? "7bit" : "quoted-printable") + "\r\n\r\n");
        out.writeBytes(sevenBit ? utf8 : QuotedPrintable.encode(utf8));
        ascii(out, "\r\n");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A message whose body is already serialised: written out as it is, never re-encoded. */
    private static final class Prebuilt extends MimeMessage {
        private final String messageId;

        Prebuilt(Session session, String messageId, byte[] body) {
            super(session);
            this.messageId = messageId;
            this.content = body;
        }

        /** Headers are complete: writeTo copies headers and body without saveChanges or content handlers. */
        void seal() {
            modified = false;
            saved = true;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    /** The Date header, formatted once a second rather than once a message. */
    private static final class Dates {
        private record Formatted(long second, String value) {
        }

        private static volatile Formatted last = new Formatted(-1, "");

        static String now() {
            long millis = System.currentTimeMillis();
            Formatted f = last;
            if (f.second() != millis / 1000) {
                f = new Formatted(millis / 1000, new MailDateFormat().format(new Date(millis / 1000 * 1000)));
                last = f;
            }
            return f.value();
        }
    }

    /** RFC 5322/2045 7bit: ASCII without NUL or lone CR, no line longer than 998 octets. */
    static boolean sevenBitSafe(String s) {
        int lineLength = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || c == 0) {
                return false;
            }
            if (c == '\r') {
                if (i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
                    return false;
                }
                continue;
            }
            if (c == '\n') {
                lineLength = 0;
            } else if (++lineLength > 998) {
                return false;
            }
        }
        return true;
    }
}
