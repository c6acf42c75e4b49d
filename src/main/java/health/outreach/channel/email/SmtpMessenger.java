package health.outreach.channel.email;

import health.outreach.common.Channel;
import health.outreach.delivery.Messenger;
import health.outreach.delivery.OutgoingMessage;
import health.outreach.delivery.SendOutcome;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Email over SMTP with Angus Mail. Each dispatcher thread keeps one connection open and reuses it
 * for every message (no handshake per email); a failure closes it and the next send reconnects.
 * Timeouts are set for connect, read and write (Jakarta Mail's defaults are infinite). The SMTP
 * answer decides the outcome wherever it comes: a relay that cannot take mail (no connection, 421,
 * our sender refused) makes the channel back off; otherwise 4xx retries, 5xx fails (550/551/553
 * also suppress the address), and a connection lost after the message data went out is "unknown":
 * it may have been delivered.
 */
@Singleton
@Requires(property = "outreach.email.transport", value = "smtp")
public class SmtpMessenger implements Messenger {

    private static final Set<Integer> HARD_BOUNCE = Set.of(550, 551, 553);
    /** RFC 3463 enhanced status codes in a reply's text: 5.1.x is about the address, anything else is not. */
    private static final java.util.regex.Pattern MAILBOX_STATUS = java.util.regex.Pattern.compile("(^|\\s)5\\.1\\.\\d{1,3}(\\s|$)");
    private static final java.util.regex.Pattern OTHER_STATUS = java.util.regex.Pattern.compile("(^|\\s)5\\.[02-7]\\.\\d{1,3}(\\s|$)");

    private final Session session;
    private final EmailComposer composer;
    private final Map<Thread, TrackingSmtpTransport> connections = new ConcurrentHashMap<>();
    private final EmailSettings.Smtp smtp;

    public SmtpMessenger(EmailSettings settings) {
        this.smtp = settings.smtp();
        this.composer = new EmailComposer(settings.from(), settings.unsubscribeMailbox());
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", Long.toString(smtp.connectTimeout().toMillis()));
        p.put("mail.smtp.timeout", Long.toString(smtp.readTimeout().toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(smtp.writeTimeout().toMillis()));
        p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
        p.put("mail.smtp.starttls.required", Boolean.toString(smtp.starttls()));
        p.put("mail.smtp.auth", Boolean.toString(!smtp.username().isBlank()));
        p.put("mail.smtp.quitwait", "false");
        // No mail.smtp.allow8bitmime: MimeMessages picks 7bit or quoted-printable itself (see there why).
        // Session.getInstance, never getDefaultInstance: the default session is JVM-wide state.
        this.session = Session.getInstance(p);
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public SendOutcome send(OutgoingMessage message, Handover handover) {
        ComposedEmail email;
        MimeMessage mime;
        try {
            email = composer.compose(message);
            mime = MimeMessages.of(session, email);
        } catch (EmailComposer.InvalidEmail e) {
            return new SendOutcome.Permanent(e.getMessage(), false);
        } catch (MessagingException e) {
            return new SendOutcome.Permanent("could not build the email: " + e.getMessage(), false);
        }
        // A kept connection may have been closed by the relay meanwhile (an idle timeout): when it
        // breaks before anything was handed over, the message goes once more on a fresh one.
        boolean reused = connections.containsKey(Thread.currentThread());
        SendOutcome outcome = attempt(email, mime, handover);
        if (reused && outcome instanceof SendOutcome.Unavailable && !connections.containsKey(Thread.currentThread())) {
            outcome = attempt(email, mime, handover);
        }
        return outcome;
    }

    private SendOutcome attempt(ComposedEmail email, MimeMessage mime, Handover handover) {
        TrackingSmtpTransport transport;
        try {
            transport = connection();
        } catch (MessagingException e) {
            return new SendOutcome.Unavailable("cannot connect to " + smtp.host() + ":" + smtp.port() + ": " + e.getMessage());
        }
        try {
            transport.sendMessage(mime, mime.getAllRecipients(), handover);
            String id = email.messageId();
            return new SendOutcome.Sent(id.substring(1, id.length() - 1));
        } catch (TrackingSmtpTransport.NotHandedOver e) {
            drop(transport); // mid-DATA without its dot: the relay drops the transaction with the connection
            return new SendOutcome.Unavailable("not handed over: " + e.getMessage());
        } catch (MessagingException e) {
            return failed(e, transport);
        }
    }

    /**
     * A coded reply decides, wherever it came: to MAIL, RCPT, DATA or after the end-of-data dot. Only
     * silence or a dropped connection after the dot leaves the outcome unknown; before the dot the
     * message was not handed over, so a broken connection there is the relay's trouble.
     */
    private SendOutcome failed(MessagingException e, TrackingSmtpTransport transport) {
        if (transport.handedOver()) {
            int code = transport.dotReply();
            String text = transport.dotReplyText();
            MessagingException coded = smtpAnswer(e);
            if (code < 400 && coded != null && returnCode(coded) >= 400) {
                code = returnCode(coded);
                text = coded.getMessage();
            }
            if (code >= 400) {
                return classify(code, text, Stage.AFTER_DATA, transport);
            }
            drop(transport);
            return new SendOutcome.Unknown("no answer after the message was handed over: " + e.getMessage());
        }
        MessagingException coded = smtpAnswer(e);
        if (coded != null && returnCode(coded) >= 400) {
            Stage stage = coded instanceof SMTPSenderFailedException ? Stage.MAIL
                    : coded instanceof SMTPAddressFailedException ? Stage.RCPT : Stage.DATA;
            return classify(returnCode(coded), coded.getMessage(), stage, transport);
        }
        drop(transport);
        return new SendOutcome.Unavailable("the connection to " + smtp.host() + ":" + smtp.port() + " failed: " + e.getMessage());
    }

    private enum Stage { MAIL, RCPT, DATA, AFTER_DATA }

    /** The server's coded answer, wherever Angus put it in the chain (a refused RCPT comes wrapped). */
    private static MessagingException smtpAnswer(MessagingException e) {
        Exception current = e;
        while (current instanceof MessagingException m) {
            if (m instanceof SMTPAddressFailedException || m instanceof SMTPSendFailedException
                    || m instanceof SMTPSenderFailedException) {
                return m;
            }
            current = m.getNextException();
        }
        return null;
    }

    private static int returnCode(MessagingException e) {
        if (e instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        return ((SMTPSendFailedException) e).getReturnCode();
    }

    /**
     * 421 anywhere, and any refusal of our own sender (MAIL), say the relay cannot take mail now:
     * the channel backs off and the message loses nothing. Otherwise 4xx retries this message, 5xx
     * fails it. Only a refused mailbox suppresses the address: a 550/551/553 to RCPT, or after the
     * message data with an RFC 3463 addressing code (5.1.x). A 5xx after the data is mostly about the
     * message (5.7.1 policy, spam filters): suppressing for it would block a good address over one
     * refused email.
     */
    private SendOutcome classify(int code, String text, Stage stage, TrackingSmtpTransport transport) {
        String reply = text == null ? "" : text.strip();
        String reason = "SMTP " + code + (stage == Stage.AFTER_DATA ? " after the message data" : "") + ": " + reply;
        if (code == 421 || code >= 500 || stage == Stage.MAIL || transport.broken()) {
            drop(transport); // 421 closes the connection; after a 5xx or a failed reset start clean
        }
        if (code == 421 || stage == Stage.MAIL) {
            return new SendOutcome.Unavailable(reason);
        }
        if (code < 500) {
            return new SendOutcome.Transient(reason);
        }
        boolean mailboxRefused = HARD_BOUNCE.contains(code) && (stage == Stage.AFTER_DATA ? MAILBOX_STATUS.matcher(reply).find()
                : !OTHER_STATUS.matcher(reply).find());
        return new SendOutcome.Permanent(reason, mailboxRefused);
    }

    private TrackingSmtpTransport connection() throws MessagingException {
        TrackingSmtpTransport transport = connections.get(Thread.currentThread());
        if (transport == null) {
            transport = new TrackingSmtpTransport(session, new URLName("smtp", smtp.host(), smtp.port(), null, null, null));
            if (smtp.username().isBlank()) {
                transport.connect();
            } else {
                transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
            }
            connections.put(Thread.currentThread(), transport);
        }
        return transport;
    }

    private void drop(TrackingSmtpTransport transport) {
        connections.remove(Thread.currentThread(), transport);
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // already broken
        }
    }

    @Override
    public void release() {
        TrackingSmtpTransport transport = connections.get(Thread.currentThread());
        if (transport != null) {
            drop(transport);
        }
    }

    @PreDestroy
    void closeAll() {
        connections.values().forEach(t -> {
            try {
                t.close();
            } catch (MessagingException ignored) {
                // shutting down
            }
        });
        connections.clear();
    }
}
