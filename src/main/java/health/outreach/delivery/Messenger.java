package health.outreach.delivery;

import health.outreach.common.Channel;

/**
 * A way out for one channel (SMTP, an SMS provider, the capture outbox). Called from several
 * dispatcher threads at once; an implementation keeps its own per-thread connections.
 */
public interface Messenger {

    /**
     * The last moment before a message is handed over for good (the end-of-data dot, the API
     * request): the dispatcher makes the previous outcome on this connection durable by then.
     * Whatever can happen earlier (rendering, the SMTP envelope and data) overlaps with that commit.
     */
    @FunctionalInterface
    interface Handover {
        /** Blocks until the message may be handed over; throws when it must not be (it is then not sent). */
        void await();

        Handover NOW = () -> {
        };
    }

    Channel channel();

    /**
     * Hands one message to the provider, passing {@code handover} just before the point of no
     * return; never throws for a provider's answer, only classifies it. When {@code handover}
     * throws, nothing was handed over and the outcome says so.
     */
    SendOutcome send(OutgoingMessage message, Handover handover);

    /** Releases connections held for the calling thread (a worker going idle or stopping). */
    default void release() {
    }
}
