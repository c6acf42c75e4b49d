package health.outreach.announce;

import java.util.Arrays;
import java.util.Optional;

/** What other systems can subscribe to, by the names they see on the wire. */
public enum EventType {
    CONTACT_OPTED_OUT("contact.opted_out", "A person opted out of a channel: unsubscribe link, STOP, preferences or staff"),
    CONTACT_OPTED_IN("contact.opted_in", "A person opted in to (or confirmed) a channel"),
    CONTACT_ERASED("contact.erased", "A person's data was erased at their request"),
    MESSAGE_BOUNCED("message.bounced", "A message bounced; the address is suppressed"),
    MESSAGE_FAILED("message.failed", "A message could not be delivered and will not be retried"),
    BOOKING_CREATED("booking.created", "A booking was requested or reported by a clinic"),
    BOOKING_STATUS_CHANGED("booking.status_changed", "A booking's status moved"),
    BOOKING_ATTRIBUTED("booking.attributed", "A booking was credited to a campaign's message"),
    CAMPAIGN_STARTED("campaign.started", "A campaign launched"),
    CAMPAIGN_COMPLETED("campaign.completed", "A campaign sent everything it had to send");

    private final String wireName;
    private final String description;

    EventType(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static Optional<EventType> named(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
