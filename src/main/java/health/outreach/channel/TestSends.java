package health.outreach.channel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.ProblemException;
import health.outreach.config.OutreachConfig;
import health.outreach.contact.ContactNormalizer;
import health.outreach.delivery.Messenger;
import health.outreach.delivery.OutgoingMessage;
import health.outreach.delivery.SendOutcome;
import health.outreach.template.TemplatePreview;
import health.outreach.template.TemplateViews;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A template sent once to a staff member's own address or phone, rendered with a chosen contact's
 * data (or sample data), to see it as the person will. It goes straight to the channel's transport,
 * not through the outbox: no message row, so it is never counted in a report, and its links are the
 * preview's, so nothing is tracked and no real person's unsubscribe or booking link leaves. The
 * subject (or text) says it is a test. Limited per staff member, and audited.
 */
@Singleton
public class TestSends {

    /** Test sends one staff member may make per hour. */
    static final int PER_HOUR = 10;

    private final TemplatePreview preview;
    private final Map<Channel, Messenger> messengers = new EnumMap<>(Channel.class);
    private final AuditLog audit;
    private final ContactNormalizer phones;
    private final Cache<String, Bucket> budgets = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(2)).build();

    TestSends(TemplatePreview preview, List<Messenger> messengers, AuditLog audit, OutreachConfig config) {
        this.preview = preview;
        messengers.forEach(m -> this.messengers.put(m.channel(), m));
        this.audit = audit;
        this.phones = new ContactNormalizer(config.phoneDefaultRegion(), "en");
    }

    /** Sends the test; answers the address it went to. @throws ProblemException naming the field at fault */
    public String send(long templateId, TemplateViews.PreviewRequest wanted, String to, String actor) {
        TemplateViews.Preview p = preview.preview(templateId, wanted);
        boolean sms = p.sms() != null;
        String address = sms ? phones.normalizePhone(to) : phones.normalizeEmail(to);
        if (to == null || to.isBlank() || address == null) {
            throw ProblemException.invalid("to", sms ? "a phone number to send the test text to, like +1 512 555 0100"
                    : "an email address to send the test to, like you@example.org");
        }
        Bucket budget = budgets.get(actor, k -> Bucket.builder().addLimit(Bandwidth.builder().capacity(PER_HOUR)
                .refillGreedy(PER_HOUR, Duration.ofHours(1)).build()).build());
        if (!budget.tryConsume(1)) {
            throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                    "At most " + PER_HOUR + " test sends an hour; try again later", List.of());
        }
        Channel channel = sms ? Channel.SMS : Channel.EMAIL;
        Messenger messenger = messengers.get(channel);
        if (messenger == null) {
            throw ProblemException.conflict("No " + channel + " transport is configured");
        }
        String id = "test-" + UUID.randomUUID();
        OutgoingMessage message = new OutgoingMessage(0, channel, address, id, id,
                sms ? null : "[Test] " + p.subject(), sms ? null : p.html(), sms ? null : p.text(),
                sms ? "[Test] " + p.sms() : null, preview.previewUnsubscribeUrl());
        SendOutcome outcome = messenger.send(message, Messenger.Handover.NOW);
        audit.record("template.test-send", "template", templateId, Map.of("channel", channel.name(), "to", address,
                "version", p.version(), "contactId", wanted.contactId() == null ? "sample" : wanted.contactId(),
                "outcome", outcome.getClass().getSimpleName()));
        if (!(outcome instanceof SendOutcome.Sent)) {
            throw new ProblemException(HttpStatus.BAD_GATEWAY, "test-send-failed",
                    "The " + channel.name().toLowerCase() + " provider did not take the test: " + outcome, List.of());
        }
        return address;
    }
}
