package health.outreach.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;

/**
 * Turns a composed email into MIME: multipart/alternative, text first, UTF-8, our Message-ID.
 * <p>
 * Each part's Content-Transfer-Encoding is decided here from one pass over the text: 7bit when it
 * is ASCII with short lines, else quoted-printable (safe on every server). Left to itself, Jakarta
 * Mail decides by serialising the whole part through its content handler first; and Angus's
 * 8BITMIME conversion reads each part back through a pipe and a new thread. Each part is then
 * handed over already encoded (see {@link #part}). Measured, these costs were larger than
 * rendering and recording the message together.
 */
final class MimeMessages {

    private MimeMessages() {
    }

    static MimeMessage of(Session session, ComposedEmail email) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", email.messageId());
            }
        };
        message.setFrom(new InternetAddress(email.from()));
        message.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(email.to()));
        message.setSubject(email.subject(), "UTF-8");
        message.setSentDate(new Date());
        for (Map.Entry<String, String> header : email.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        MimeBodyPart text = part(email.text(), "plain");
        MimeBodyPart html = part(email.html(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    /**
     * A body part built from its encoded bytes. Jakarta Mail then copies them to the connection in
     * blocks; a part holding a String is encoded on the fly, one synchronised write per byte.
     */
    private static MimeBodyPart part(String content, String subtype) throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        headers.setHeader("Content-Type", "text/" + subtype + "; charset=UTF-8");
        byte[] utf8 = content.getBytes(StandardCharsets.UTF_8);
        if (sevenBitSafe(content)) {
            headers.setHeader("Content-Transfer-Encoding", "7bit");
            return new MimeBodyPart(headers, utf8);
        }
        headers.setHeader("Content-Transfer-Encoding", "quoted-printable");
        ByteSink encoded = new ByteSink(utf8.length + utf8.length / 4);
        try (OutputStream qp = MimeUtility.encode(encoded, "quoted-printable")) {
            qp.write(utf8);
        } catch (IOException e) {
            throw new MessagingException("cannot encode the " + subtype + " part", e);
        }
        return new MimeBodyPart(headers, encoded.bytes());
    }

    /** An unsynchronised byte buffer: the QP encoder writes to it one byte at a time. */
    private static final class ByteSink extends OutputStream {
        private byte[] buf;
        private int size;

        ByteSink(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        @Override
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
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
