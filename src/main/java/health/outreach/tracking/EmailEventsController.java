package health.outreach.tracking;

import health.outreach.config.TrackingSettings;
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

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private final EmailEvents intake;
    private final ObjectMapper json;
    private final Clock clock;

    EmailEventsController(TrackingSettings settings, EmailEvents intake, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.intake = intake;
        this.json = json;
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
        int applied = intake.applyOnce(id, events);
        return HttpResponse.ok(Map.of("received", events.size(), "applied", applied));
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
