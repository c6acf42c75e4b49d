package health.outreach.channel.email;

import health.outreach.channel.CapturedMessages;
import health.outreach.common.Channel;
import health.outreach.delivery.Messenger;
import health.outreach.delivery.OutgoingMessage;
import health.outreach.delivery.SendOutcome;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/** The embedded default for email: composes exactly as for SMTP (same checks, same headers) and keeps it. */
@Singleton
@Requires(property = "outreach.email.transport", value = "capture", defaultValue = "capture")
public class CaptureEmailMessenger implements Messenger {

    private final EmailComposer composer;
    private final CapturedMessages captured;

    public CaptureEmailMessenger(EmailSettings settings, CapturedMessages captured) {
        this.composer = new EmailComposer(settings.from(), settings.unsubscribeMailbox());
        this.captured = captured;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public SendOutcome send(OutgoingMessage message, Handover handover) {
        ComposedEmail email;
        try {
            email = composer.compose(message);
        } catch (EmailComposer.InvalidEmail e) {
            return new SendOutcome.Permanent(e.getMessage(), false);
        }
        try {
            handover.await();
        } catch (RuntimeException e) {
            return new SendOutcome.Unavailable("not handed over: " + e);
        }
        String headers = "Message-ID: " + email.messageId() + "\n" + email.headers().entrySet().stream()
                .map(h -> h.getKey() + ": " + h.getValue()).collect(Collectors.joining("\n"));
        captured.add(Channel.EMAIL, message.messageId(), email.to(), email.from(), email.subject(), email.text(),
                email.html(), headers);
        String id = email.messageId();
        return new SendOutcome.Sent(id.substring(1, id.length() - 1));
    }
}
