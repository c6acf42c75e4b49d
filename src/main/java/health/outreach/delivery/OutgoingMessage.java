package health.outreach.delivery;

import health.outreach.channel.Channel;
import io.micronaut.core.annotation.Nullable;

/**
 * A rendered message ready for a channel. {@code token} is the message's opaque token: it names
 * the Message-ID and the unsubscribe links, never the person.
 */
public record OutgoingMessage(long messageId,
                              Channel channel,
                              String to,
                              String token,
                              @Nullable String subject,
                              @Nullable String html,
                              @Nullable String text,
                              @Nullable String sms,
                              String unsubscribeUrl) {
}
