package health.outreach.tracking;

import health.outreach.channel.sms.SmsSettings;
import health.outreach.common.ProblemResponses;
import health.outreach.config.OutreachConfig;
import health.outreach.contact.ContactNormalizer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Twilio's webhooks. Each request must carry a valid X-Twilio-Signature over our public URL and its
 * parameters (keyed with the auth token); anything else is a 401 problem, as on every signed webhook.
 * Replays are no-ops.
 */
@Controller("/webhooks/sms")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class SmsWebhookController {

    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";
    /** Carrier codes meaning the number cannot receive texts: unsubscribed at the carrier, unknown, landline. */
    private static final Set<String> SUPPRESS = Set.of("21610", "30005", "30006", "21211", "21614");

    private final String authToken;
    private final String publicUrl;
    private final SmsReplies replies;
    private final DeliveryReceipts receipts;
    private final WebhookReceipts seen;
    private final TransactionOperations<Connection> transactions;
    private final ContactNormalizer phones;

    SmsWebhookController(SmsSettings sms, OutreachConfig config, SmsReplies replies, DeliveryReceipts receipts,
                         WebhookReceipts seen, TransactionOperations<Connection> transactions) {
        this.authToken = sms.twilio().authToken();
        this.publicUrl = config.baseUrl();
        this.replies = replies;
        this.receipts = receipts;
        this.seen = seen;
        this.transactions = transactions;
        this.phones = new ContactNormalizer(config.phoneDefaultRegion(), "en");
    }

    @Post(value = "/inbound", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_XML)
    HttpResponse<?> inbound(HttpRequest<?> request, @Body String body, @Nullable @Header("X-Twilio-Signature") String signature) {
        Map<String, String> params = FormBody.parse(body);
        if (!TwilioSignature.valid(authToken, url(request), params, signature)) {
            return badSignature(request);
        }
        String sid = params.getOrDefault("MessageSid", params.getOrDefault("SmsSid", ""));
        String text = params.getOrDefault("Body", "");
        String from = phones.normalizePhone(params.get("From"));
        transactions.executeWrite(status -> sid.isEmpty() || seen.first("sms-inbound", sid) ? replies.handle(from, text, sid) : "duplicate");
        return HttpResponse.ok(EMPTY_TWIML).contentType(MediaType.APPLICATION_XML_TYPE);
    }

    @Post(value = "/status", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> status(HttpRequest<?> request, @Body String body, @Nullable @Header("X-Twilio-Signature") String signature) {
        Map<String, String> params = FormBody.parse(body);
        if (!TwilioSignature.valid(authToken, url(request), params, signature)) {
            return badSignature(request);
        }
        String sid = params.getOrDefault("MessageSid", params.getOrDefault("SmsSid", ""));
        String state = params.getOrDefault("MessageStatus", params.getOrDefault("SmsStatus", "")).toLowerCase();
        String code = params.getOrDefault("ErrorCode", "");
        transactions.executeWrite(status -> {
            if (sid.isEmpty() || !seen.first("sms-status", sid + ":" + state)) {
                return null;
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
            return null;
        });
        return HttpResponse.noContent();
    }

    /** The URL Twilio signed: our public URL plus the path and query it called. */
    private String url(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return publicUrl + request.getPath() + (query == null ? "" : "?" + query);
    }

    private static HttpResponse<?> badSignature(HttpRequest<?> request) {
        return ProblemResponses.response(request, HttpStatus.UNAUTHORIZED, "bad-signature",
                "The X-Twilio-Signature is missing or does not match", List.of());
    }
}
