package health.outreach.announce;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The {@code data} of each event type, as receivers get it: ids and the least else they need to act
 * (never a health detail, an address or a message's content). Receivers order the events of one
 * contact (or, for campaign events, one campaign) by the envelope's sequence: {@link #orderKey()}.
 */
public sealed interface EventData {

    EventType type();

    /** Whose events one sequence counts: "contact:12" or "campaign:3". */
    String orderKey();

    @Serdeable
    @Schema(name = "ContactOptedOut", description = "data of contact.opted_out")
    record ContactOptedOut(long contactId, @Nullable String externalId, Channel channel) implements EventData {
        public EventType type() {
            return EventType.CONTACT_OPTED_OUT;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    @Serdeable
    @Schema(name = "ContactOptedIn", description = "data of contact.opted_in")
    record ContactOptedIn(long contactId, @Nullable String externalId, Channel channel) implements EventData {
        public EventType type() {
            return EventType.CONTACT_OPTED_IN;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    /** {@code externalId} is the one the contact had before the erasure, so the receiver can erase its copy. */
    @Serdeable
    @Schema(name = "ContactErased", description = "data of contact.erased")
    record ContactErased(long contactId, @Nullable String externalId) implements EventData {
        public EventType type() {
            return EventType.CONTACT_ERASED;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    @Serdeable
    @Schema(name = "MessageBounced", description = "data of message.bounced")
    record MessageBounced(long messageId, long contactId, @Nullable Long campaignId, @Nullable Long stepId, Channel channel)
            implements EventData {
        public EventType type() {
            return EventType.MESSAGE_BOUNCED;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    /** {@code failureKind}: PERMANENT (refused) or TRANSIENT (retries ran out). */
    @Serdeable
    @Schema(name = "MessageFailed", description = "data of message.failed")
    record MessageFailed(long messageId, long contactId, @Nullable Long campaignId, @Nullable Long stepId, Channel channel,
                         @Schema(allowableValues = {"PERMANENT", "TRANSIENT"}) String failureKind) implements EventData {
        public EventType type() {
            return EventType.MESSAGE_FAILED;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    @Serdeable
    @Schema(name = "BookingCreated", description = "data of booking.created")
    record BookingCreated(long bookingId, long contactId, @Nullable Long clinicId, String status,
                          @Schema(description = "PAGE, WEBHOOK, FHIR or CSV") String source) implements EventData {
        public EventType type() {
            return EventType.BOOKING_CREATED;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    @Serdeable
    @Schema(name = "BookingStatusChanged", description = "data of booking.status_changed")
    record BookingStatusChanged(long bookingId, long contactId, String from, String to) implements EventData {
        public EventType type() {
            return EventType.BOOKING_STATUS_CHANGED;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    /** {@code rule}: which attribution rule credited the message (CLICKED, DELIVERED, ...). */
    @Serdeable
    @Schema(name = "BookingAttributed", description = "data of booking.attributed")
    record BookingAttributed(long bookingId, long contactId, long campaignId, @Nullable Long stepId, @Nullable Long messageId,
                             @Nullable Channel channel, String rule) implements EventData {
        public EventType type() {
            return EventType.BOOKING_ATTRIBUTED;
        }

        public String orderKey() {
            return "contact:" + contactId;
        }
    }

    @Serdeable
    @Schema(name = "CampaignStarted", description = "data of campaign.started")
    record CampaignStarted(long campaignId) implements EventData {
        public EventType type() {
            return EventType.CAMPAIGN_STARTED;
        }

        public String orderKey() {
            return "campaign:" + campaignId;
        }
    }

    @Serdeable
    @Schema(name = "CampaignCompleted", description = "data of campaign.completed")
    record CampaignCompleted(long campaignId) implements EventData {
        public EventType type() {
            return EventType.CAMPAIGN_COMPLETED;
        }

        public String orderKey() {
            return "campaign:" + campaignId;
        }
    }
}
