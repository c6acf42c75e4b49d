package health.outreach.channel.sms;

import health.outreach.common.Channel;
import health.outreach.config.OutreachConfig;
import health.outreach.delivery.Messenger;
import health.outreach.delivery.OutgoingMessage;
import health.outreach.delivery.SendOutcome;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SMS through a Twilio-compatible Messages API: a form POST with basic auth and a StatusCallback
 * for delivery receipts. 429, 5xx and a refused connection make the channel back off (the message
 * loses nothing); other 4xx fail (21610, "recipient unsubscribed at the carrier", and invalid-number
 * codes also suppress the number); no answer after the request went out is "unknown" (it may have
 * been sent).
 */
@Singleton
@Requires(property = "outreach.sms.provider", value = "twilio")
public class TwilioMessenger implements Messenger {

    private static final Set<Integer> SUPPRESS = Set.of(21610, 21211, 21614);

    private final SmsSettings.Twilio twilio;
    private final String statusCallback;
    private final ObjectMapper json;
    private final HttpClient http;
    private final String authorization;

    public TwilioMessenger(SmsSettings settings, OutreachConfig config, ObjectMapper json) {
        this.twilio = settings.twilio();
        if (twilio.accountSid().isBlank() || twilio.authToken().isBlank()
                || (twilio.from().isBlank() && twilio.messagingServiceSid().isBlank())) {
            throw new IllegalStateException("outreach.sms.twilio needs account-sid, auth-token and from (or messaging-service-sid)");
        }
        this.statusCallback = config.baseUrl() + "/webhooks/sms/status";
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(twilio.timeout()).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (twilio.accountSid() + ":" + twilio.authToken()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public SendOutcome send(OutgoingMessage message, Handover handover) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", message.to());
        if (twilio.messagingServiceSid().isBlank()) {
            form.put("From", twilio.from());
        } else {
            form.put("MessagingServiceSid", twilio.messagingServiceSid());
        }
        form.put("Body", message.sms());
        form.put("StatusCallback", statusCallback);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/2010-04-01/Accounts/" + twilio.accountSid() + "/Messages.json"))
                .timeout(twilio.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            handover.await();
        } catch (RuntimeException e) {
            return new SendOutcome.Unavailable("not handed over: " + e);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | java.net.http.HttpConnectTimeoutException e) {
            return new SendOutcome.Unavailable("SMS provider unreachable: " + e.getMessage());
        } catch (HttpTimeoutException e) {
            return new SendOutcome.Unknown("no answer from the SMS provider after the request was sent");
        } catch (IOException e) {
            return new SendOutcome.Unknown("connection to the SMS provider lost: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendOutcome.Unknown("interrupted while waiting for the SMS provider");
        }
        return classify(response);
    }

    private SendOutcome classify(HttpResponse<String> response) {
        int status = response.statusCode();
        Map<String, Object> body = parse(response.body());
        if (status >= 200 && status < 300) {
            Object sid = body.get("sid");
            return sid == null ? new SendOutcome.Unknown("the SMS provider accepted the message but sent no id")
                    : new SendOutcome.Sent(sid.toString());
        }
        String reason = "SMS provider " + status + ": " + body.getOrDefault("message", response.body());
        if (status == 429 || status >= 500) {
            return new SendOutcome.Unavailable(reason); // the provider's own trouble (or our rate): back off the channel
        }
        Object code = body.get("code");
        boolean suppress = code instanceof Number n && SUPPRESS.contains(n.intValue());
        return new SendOutcome.Permanent(reason, suppress);
    }

    private Map<String, Object> parse(String body) {
        try {
            return json.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private String base() {
        String b = twilio.baseUrl();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }
}
