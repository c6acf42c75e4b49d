package health.outreach.channel.sms;

import health.outreach.channel.CapturedMessages;
import health.outreach.common.Channel;
import health.outreach.delivery.Messenger;
import health.outreach.delivery.OutgoingMessage;
import health.outreach.delivery.SendOutcome;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** The embedded default for SMS: keeps the text in the capture outbox and answers a fake provider id. */
@Singleton
@Requires(property = "outreach.sms.provider", value = "capture", defaultValue = "capture")
public class CaptureSmsMessenger implements Messenger {

    private final CapturedMessages captured;

    public CaptureSmsMessenger(CapturedMessages captured) {
        this.captured = captured;
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public SendOutcome send(OutgoingMessage message, Handover handover) {
        if (message.sms() == null || message.sms().isBlank()) {
            return new SendOutcome.Permanent("empty SMS", false);
        }
        try {
            handover.await();
        } catch (RuntimeException e) {
            return new SendOutcome.Unavailable("not handed over: " + e);
        }
        captured.add(Channel.SMS, message.messageId(), message.to(), null, null, message.sms(), null, null);
        return new SendOutcome.Sent("CAPTURED" + message.messageId());
    }
}
