package health.outreach.delivery;

import health.outreach.channel.Channel;

/**
 * A way out for one channel (SMTP, an SMS provider, the capture outbox). Called from several
 * dispatcher threads at once; an implementation keeps its own per-thread connections.
 */
public interface Messenger {

    Channel channel();

    /** Hands one message to the provider; never throws for a provider's answer, only classifies it. */
    SendOutcome send(OutgoingMessage message);

    /** Releases connections held for the calling thread (a worker going idle or stopping). */
    default void release() {
    }
}
