package health.outreach.tracking;

import health.outreach.config.TrackingSettings;
import health.outreach.common.Hashing;
import health.outreach.common.ProblemException;
import health.outreach.common.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
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
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;

import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /webhooks/email/events}: bounces, complaints, deliveries and mailto: unsubscribes from
 * the mail system, signed with Standard Webhooks. Body: one event or an array of them,
 * {@code {"type":"delivered|bounce|complaint|unsubscribe","messageId":"<token@domain>","bounceType":"hard|soft","subject":"..."}}.
 */
@Controller("/webhooks/email/events")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class EmailEventsController {

    @Serdeable
    record EmailEvent(String type, @Nullable String messageId, @Nullable String bounceType, @Nullable String subject,
                      @Nullable String reason) {
    }

    private final TrackingSettings settings;
    private final Tokens tokens;
    private final DeliveryReceipts receipts;
    private final Engagement engagement;
    private final WebhookReceipts seen;
    private final ObjectMapper json;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    EmailEventsController(TrackingSettings settings, Tokens tokens, DeliveryReceipts receipts, Engagement engagement,
                          WebhookReceipts seen, ObjectMapper json, TransactionOperations<Connection> transactions, Clock clock) {
        this.settings = settings;
        this.tokens = tokens;
        this.receipts = receipts;
        this.engagement = engagement;
        this.seen = seen;
        this.json = json;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> receive(HttpRequest<?> request, @Body String body,
                            @Nullable @Header("webhook-id") String id,
                            @Nullable @Header("webhook-timestamp") String timestamp,
                            @Nullable @Header("webhook-signature") String signature) {
        StandardWebhooks.Verdict verdict = StandardWebhooks.verify(settings.emailWebhookSecrets(), id, timestamp, signature,
                body, clock.instant());
        if (verdict != StandardWebhooks.Verdict.VALID) {
            return ProblemResponses.response(request, HttpStatus.UNAUTHORIZED, "bad-signature",
                    "Webhook rejected: " + verdict.name().toLowerCase(Locale.ROOT).replace('_', ' '), List.of());
        }
        List<EmailEvent> events = parse(body);
        int applied = transactions.executeWrite(status -> {
            if (!seen.first("email-events", id)) {
                return 0;
            }
            int n = 0;
            for (EmailEvent e : events) {
                n += apply(e, id) ? 1 : 0;
            }
            return n;
        });
        return HttpResponse.ok(Map.of("received", events.size(), "applied", applied));
    }

    private boolean apply(EmailEvent e, String webhookId) {
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
    private static Optional<String> token(EmailEvent e) {
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

    private List<EmailEvent> parse(String body) {
        try {
            String trimmed = body.strip();
            if (trimmed.startsWith("[")) {
                return json.readValue(trimmed, Argument.listOf(EmailEvent.class));
            }
            List<EmailEvent> one = new ArrayList<>();
            one.add(json.readValue(trimmed, Argument.of(EmailEvent.class)));
            return one;
        } catch (IOException | RuntimeException e) {
            throw ProblemException.badRequest("malformed-event", "The body is not an email event or a list of them", List.of());
        }
    }
}
