package health.outreach.delivery;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;

/**
 * A rendered message ready for a channel. Its body carries the message's action token (unsubscribe,
 * preference, booking and tracked links); what goes into headers, which relays log and replies and
 * forwards quote, never does: {@code headerId} names the message in the Message-ID and grants
 * nothing, and {@code unsubscribeToken} (in {@code unsubscribeUrl}) only unsubscribes, as
 * List-Unsubscribe needs. None of them names the person.
 */
public record OutgoingMessage(long messageId,
                              Channel channel,
                              String to,
                              String unsubscribeToken,
                              @Nullable String headerId,
                              @Nullable String subject,
                              @Nullable String html,
                              @Nullable String text,
                              @Nullable String sms,
                              String unsubscribeUrl) {
}
