package health.outreach.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.util.Date;
import java.util.Map;

/**
 * Turns a composed email into MIME: multipart/alternative, text first, UTF-8, our Message-ID.
 * <p>
 * Each part's Content-Transfer-Encoding is decided here from one pass over the text: 7bit when it
 * is ASCII with short lines, else quoted-printable (safe on every server). Left to itself, Jakarta
 * Mail decides by serialising the whole part through its content handler first; and Angus's
 * 8BITMIME conversion reads each part back through a pipe and a new thread. Measured, the two
 * cost more than composing the message.
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

    private static MimeBodyPart part(String content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, "UTF-8", subtype);
        part.setHeader("Content-Transfer-Encoding", sevenBitSafe(content) ? "7bit" : "quoted-printable");
        return part;
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
