package health.outreach.channel.email;

import health.outreach.delivery.OutgoingMessage;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that decides what an outgoing email looks like and refuses a malformed one. Pure.
 * Every email gets our own Message-ID (an opaque id that finds the message for a bounce and grants
 * nothing), the RFC 8058 one-click unsubscribe headers with an https and a mailto form, a text and an
 * HTML part; no header value may carry a line break, whatever the data says. Headers are what relays
 * log and replies and forwards quote, so the action token of the body's links is in none of them.
 */
public final class EmailComposer {

    private final InternetAddress from;
    private final String unsubscribeMailbox;
    private final String domain;

    public EmailComposer(String from, String unsubscribeMailbox) {
        try {
            this.from = new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("outreach.email.from is not a valid address: " + from, e);
        }
        String address = this.from.getAddress();
        this.domain = address.substring(address.indexOf('@') + 1);
        this.unsubscribeMailbox = unsubscribeMailbox == null || unsubscribeMailbox.isBlank()
                ? "unsubscribe@" + domain : unsubscribeMailbox.strip();
    }

    /** @throws InvalidEmail when the message cannot be sent as it is (a permanent failure) */
    public ComposedEmail compose(OutgoingMessage m) {
        String to = address(m.to());
        String subject = headerValue("Subject", Objects.requireNonNullElse(m.subject(), "").strip());
        if (subject.isEmpty()) {
            throw new InvalidEmail("the subject is empty");
        }
        if (m.html() == null || m.text() == null) {
            throw new InvalidEmail("an email needs an HTML and a text part");
        }
        String token = headerValue("unsubscribe token", m.unsubscribeToken());
        String headerId = headerValue("header id", Objects.requireNonNullElse(m.headerId(), ""));
        if (headerId.isEmpty()) {
            throw new InvalidEmail("the message has no header id");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        // RFC 8058 one-click needs a URL that unsubscribes without anything else from the person, so
        // List-Unsubscribe is the one header that carries a capability: the unsubscribe-only token,
        // which opens neither the preferences, the booking page nor any tracked link.
        String mailto = "mailto:" + unsubscribeMailbox + "?subject=" + URLEncoder.encode("unsubscribe " + token, StandardCharsets.UTF_8).replace("+", "%20");
        headers.put("List-Unsubscribe", "<" + headerValue("unsubscribe URL", m.unsubscribeUrl()) + ">, <" + mailto + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return new ComposedEmail(from.toString(), to, subject, m.text(), m.html(), "<" + headerId + "@" + domain + ">", headers);
    }

    private static String address(String raw) {
        String value = headerValue("To", Objects.requireNonNullElse(raw, ""));
        try {
            InternetAddress address = new InternetAddress(value, true);
            address.validate();
            return address.getAddress();
        } catch (AddressException e) {
            throw new InvalidEmail("'" + value + "' is not a valid recipient");
        }
    }

    private static String headerValue(String name, String value) {
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new InvalidEmail(name + " contains a line break");
        }
        return value;
    }

    /** A message that no retry can fix. */
    public static final class InvalidEmail extends RuntimeException {
        public InvalidEmail(String message) {
            super(message, null, false, false);
        }
    }
}
