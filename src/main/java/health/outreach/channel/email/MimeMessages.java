package health.outreach.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.util.Date;
import java.util.Map;

/** Turns a composed email into MIME: multipart/alternative, text first, UTF-8, our Message-ID. */
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
        MimeBodyPart text = new MimeBodyPart();
        text.setText(email.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(email.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }
}
