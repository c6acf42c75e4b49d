package health.outreach.channel.email;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import health.outreach.delivery.Messenger;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import java.io.IOException;

/**
 * Angus's SMTP transport, made to tell what happened to the current message:
 * <ul>
 * <li>whether it was handed over: once the end-of-data dot goes out, the server may deliver it even
 * if its reply never arrives (failures before that are safe to retry; after it, "outcome unknown");</li>
 * <li>the server's reply to the dot, kept as it came. After a refusal Angus sends RSET, and when the
 * server closed the connection right after its reply (a 421 does), the RSET's I/O error used to
 * replace the coded reply in what the caller saw. A failed RSET is swallowed here instead: the
 * connection is gone, and the caller drops it.</li>
 * </ul>
 */
final class TrackingSmtpTransport extends SMTPTransport {

    private volatile boolean handedOver;
    private volatile boolean awaitingDotReply;
    private volatile int dotReply = -1;
    private volatile String dotReplyText = "";
    private volatile boolean broken;

    TrackingSmtpTransport(Session session, URLName url) {
        super(session, url);
    }

    private volatile Messenger.Handover handover = Messenger.Handover.NOW;

    /** The message could not be handed over (the dispatcher could not record the previous outcome). */
    static final class NotHandedOver extends MessagingException {
        NotHandedOver(String reason) {
            super(reason);
        }
    }

    /** Sends, waiting at {@code handover} before the end-of-data dot: envelope and data overlap with it. */
    synchronized void sendMessage(Message message, Address[] addresses, Messenger.Handover handover) throws MessagingException {
        this.handover = handover;
        try {
            sendMessage(message, addresses);
        } finally {
            this.handover = Messenger.Handover.NOW;
        }
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        handedOver = false;
        dotReply = -1;
        dotReplyText = "";
        super.sendMessage(message, addresses);
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        try {
            handover.await();
        } catch (RuntimeException e) {
            throw new NotHandedOver(String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
        handedOver = true;
        awaitingDotReply = true;
        try {
            super.finishData();
        } finally {
            awaitingDotReply = false;
        }
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        int code = super.readServerResponse();
        if (awaitingDotReply && dotReply == -1) {
            dotReply = code;
            dotReplyText = getLastServerResponse();
        }
        return code;
    }

    @Override
    public synchronized void issueCommand(String cmd, int expect) throws MessagingException {
        if (!"RSET".equals(cmd)) {
            super.issueCommand(cmd, expect);
            return;
        }
        try {
            super.issueCommand(cmd, expect);
            if (getLastReturnCode() != 250) {
                broken = true; // end of stream: the server hung up after its reply
            }
        } catch (MessagingException e) {
            broken = true; // the server hung up after its reply; that reply is what counts
        }
    }

    boolean handedOver() {
        return handedOver;
    }

    /** The server's reply code to the end-of-data dot of the last message, or -1 (none came). */
    int dotReply() {
        return dotReply;
    }

    String dotReplyText() {
        return dotReplyText;
    }

    /** Whether the connection is known to be unusable (a RSET after a refusal failed). */
    boolean broken() {
        return broken;
    }
}
