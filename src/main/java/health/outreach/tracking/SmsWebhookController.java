package health.outreach.tracking;

import health.outreach.web.Forms;
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

import java.util.List;
import java.util.Map;

/**
 * Twilio's webhooks. Each request must carry a valid X-Twilio-Signature over our public URL and its
 * parameters (keyed with the auth token); anything else is a 401 problem, as on every signed webhook.
 * Replays are no-ops.
 */
@Controller("/webhooks/sms")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class SmsWebhookController {

    /** More than any Twilio request carries (about 30, with media fields). */
    private static final int WEBHOOK_FIELDS = 200;

    private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    private final String authToken;
    private final String publicUrl;
    private final SmsWebhooks webhooks;
    private final ContactNormalizer phones;

    SmsWebhookController(SmsSettings sms, OutreachConfig config, SmsWebhooks webhooks) {
        this.authToken = sms.twilio().authToken();
        this.publicUrl = config.baseUrl();
        this.webhooks = webhooks;
        this.phones = new ContactNormalizer(config.phoneDefaultRegion(), "en");
    }

    @Post(value = "/inbound", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_XML)
    HttpResponse<?> inbound(HttpRequest<?> request, @Body String body, @Nullable @Header("X-Twilio-Signature") String signature) {
        Map<String, String> params = Forms.single(body, WEBHOOK_FIELDS);
        if (!TwilioSignature.valid(authToken, url(request), params, signature)) {
            return badSignature(request);
        }
        String sid = params.getOrDefault("MessageSid", params.getOrDefault("SmsSid", ""));
        String text = params.getOrDefault("Body", "");
        String from = phones.normalizePhone(params.get("From"));
        webhooks.inbound(sid, from, text);
        return HttpResponse.ok(EMPTY_TWIML).contentType(MediaType.APPLICATION_XML_TYPE);
    }

    @Post(value = "/status", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> status(HttpRequest<?> request, @Body String body, @Nullable @Header("X-Twilio-Signature") String signature) {
        Map<String, String> params = Forms.single(body, WEBHOOK_FIELDS);
        if (!TwilioSignature.valid(authToken, url(request), params, signature)) {
            return badSignature(request);
        }
        String sid = params.getOrDefault("MessageSid", params.getOrDefault("SmsSid", ""));
        String state = params.getOrDefault("MessageStatus", params.getOrDefault("SmsStatus", "")).toLowerCase();
        String code = params.getOrDefault("ErrorCode", "");
        webhooks.status(sid, state, code);
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
