package health.outreach.delivery;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;

/**
 * A rendered message ready for a channel. {@code token} is the message's opaque action token (its
 * unsubscribe, preference and booking links); {@code headerId} names it in headers such as the
 * Message-ID, which are seen by relays and quoted in replies, and grants nothing. Neither names the person.
 */
public record OutgoingMessage(long messageId,
                              Channel channel,
                              String to,
                              String token,
                              @Nullable String headerId,
                              @Nullable String subject,
                              @Nullable String html,
                              @Nullable String text,
                              @Nullable String sms,
                              String unsubscribeUrl) {
}
