package health.outreach.channel.email;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import java.io.IOException;

/**
 * Knows whether the current message was handed over: once the end-of-data dot goes out, the server
 * may deliver it even if its reply never arrives. Failures before that point are safe to retry;
 * after it they are "outcome unknown".
 */
final class TrackingSmtpTransport extends SMTPTransport {

    private volatile boolean handedOver;

    TrackingSmtpTransport(Session session, URLName url) {
        super(session, url);
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        handedOver = false;
        super.sendMessage(message, addresses);
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        handedOver = true;
        super.finishData();
    }

    boolean handedOver() {
        return handedOver;
    }
}
