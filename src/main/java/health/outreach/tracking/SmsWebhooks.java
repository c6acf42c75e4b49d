package health.outreach.tracking;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * What Twilio's webhooks tell, applied once each: an inbound text (keywords, replies) and a
 * delivery status. A receipt seen before changes nothing, in the same transaction as the change.
 */
@Singleton
class SmsWebhooks {

    /** Carrier codes meaning the number cannot receive texts: unsubscribed at the carrier, unknown, landline. */
    private static final Set<String> SUPPRESS = Set.of("21610", "30005", "30006", "21211", "21614");

    private final SmsReplies replies;
    private final DeliveryReceipts receipts;
    private final WebhookReceipts seen;

    SmsWebhooks(SmsReplies replies, DeliveryReceipts receipts, WebhookReceipts seen) {
        this.replies = replies;
        this.receipts = receipts;
        this.seen = seen;
    }

    @Transactional
    public void inbound(String sid, String from, String text) {
        if (sid.isEmpty() || seen.first("sms-inbound", sid)) {
            replies.handle(from, text, sid);
        }
    }

    @Transactional
    public void status(String sid, String state, String code) {
        if (sid.isEmpty() || !seen.first("sms-status", sid + ":" + state)) {
            return;
        }
        receipts.byProviderId(sid).ifPresent(m -> {
            switch (state) {
                case "delivered" -> receipts.delivered(m, "sms-status:" + sid + ":delivered");
                case "sent" -> receipts.sent(m);
                case "undelivered", "failed" -> receipts.failed(m, "carrier " + state + (code.isEmpty() ? "" : " (" + code + ")"),
                        SUPPRESS.contains(code), "sms-status:" + sid + ":" + state);
                default -> {
                    // queued, accepted, sending: nothing to record
                }
            }
        });
    }
}
