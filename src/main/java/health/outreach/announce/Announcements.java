package health.outreach.announce;

/**
 * The port through which a feature announces what happened to the systems that subscribed (outgoing
 * webhooks). It writes to an outbox in the caller's transaction: call it inside the transaction of
 * the change it announces, so that the change and its announcement commit together or not at all.
 * Announce only a change that really happened (a repeated opt-out that changes nothing announces
 * nothing). Sending happens later, elsewhere.
 */
public interface Announcements {

    void announce(EventData event);

    /**
     * Whether anyone wants events of this type now: a bulk writer (the contact import) asks once per
     * batch instead of announcing row by row to nobody.
     */
    default boolean wanted(EventType type) {
        return true;
    }
}
