package health.outreach.tracking;

import health.outreach.common.Hashing;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the mail system's events change, each webhook delivery applied once, in one transaction with
 * its receipt: deliveries, hard bounces (suppressed), complaints and mailto unsubscribes (opted out).
 */
@Singleton
class EmailEvents {

    private final Tokens tokens;
    private final DeliveryReceipts receipts;
    private final Engagement engagement;
    private final WebhookReceipts seen;

    EmailEvents(Tokens tokens, DeliveryReceipts receipts, Engagement engagement, WebhookReceipts seen) {
        this.tokens = tokens;
        this.receipts = receipts;
        this.engagement = engagement;
        this.seen = seen;
    }

    /** Answers how many events changed something; a webhook id seen before changes nothing. */
    @Transactional
    public int applyOnce(String webhookId, List<EmailEventsController.EmailEvent> events) {
        if (!seen.first("email-events", webhookId)) {
            return 0;
        }
        int n = 0;
        for (EmailEventsController.EmailEvent e : events) {
            n += apply(e, webhookId) ? 1 : 0;
        }
        return n;
    }

    private boolean apply(EmailEventsController.EmailEvent e, String webhookId) {
        // A bounce names the Message-ID; a mailto unsubscribe the List-Unsubscribe token in its subject
        // (the action token in emails sent before headers had their own), which only unsubscribes.
        Optional<MessageRef> message = e.messageId() != null ? token(e).flatMap(tokens::byHeaderId)
                : token(e).flatMap(tokens::unsubscribing).map(Tokens.Unsubscribing::message);
        if (message.isEmpty()) {
            return false;
        }
        MessageRef m = message.get();
        // Hashed: webhook ids come from outside and may be long; the key must fit event.dedupe_key.
        String key = "email:" + Hashing.sha256Hex(webhookId + ":" + m.id() + ":" + e.type());
        switch (e.type().toLowerCase(Locale.ROOT)) {
            case "delivered" -> receipts.delivered(m, key);
            case "bounce" -> {
                if ("soft".equalsIgnoreCase(e.bounceType())) {
                    return false; // the provider retries soft bounces; only the final word counts
                }
                receipts.failed(m, "hard bounce" + (e.reason() == null ? "" : ": " + e.reason()), true, key);
            }
            case "complaint" -> {
                receipts.suppress(m, "COMPLAINT", "spam complaint");
                engagement.unsubscribe(m, "spam complaint", "complaint reported by the mail provider, webhook " + webhookId);
            }
            case "unsubscribe" -> engagement.unsubscribe(m, "List-Unsubscribe mailto",
                    "unsubscribe email received, webhook " + webhookId);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The token from "<token@domain>", "token@domain", "token", or a mailto subject "unsubscribe token". */
    private static Optional<String> token(EmailEventsController.EmailEvent e) {
        String source = e.messageId() != null ? e.messageId() : e.subject();
        if (source == null) {
            return Optional.empty();
        }
        String s = source.strip();
        if (s.toLowerCase(Locale.ROOT).startsWith("unsubscribe ")) {
            s = s.substring("unsubscribe ".length()).strip();
        }
        s = s.replace("<", "").replace(">", "");
        int at = s.indexOf('@');
        return Optional.of(at > 0 ? s.substring(0, at) : s);
    }

}
