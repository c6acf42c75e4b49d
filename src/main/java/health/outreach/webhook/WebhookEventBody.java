package health.outreach.webhook;

import health.outreach.announce.EventData;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * The body of every webhook we send (documentation of what {@link WebhookOutbox} writes). The
 * {@code data} schema depends on {@code type}.
 */
@Serdeable
@Schema(name = "WebhookEvent", description = "The JSON body POSTed to a webhook endpoint, signed with Standard Webhooks "
        + "(headers webhook-id, webhook-timestamp, webhook-signature). The same event always has the same webhook-id and body, "
        + "also when retried or replayed: deduplicate by webhook-id.")
record WebhookEventBody(
        @Schema(description = "the event type", allowableValues = {"contact.opted_out", "contact.opted_in", "contact.erased",
                "message.bounced", "message.failed", "booking.created", "booking.status_changed", "booking.attributed",
                "campaign.started", "campaign.completed"}) String type,
        @Schema(description = "when it happened") Instant timestamp,
        @Schema(description = "counts the events of one contact (campaign.* events: of one campaign) from 1, in the order "
                + "they were committed; order by it, a gap means an event not subscribed to or not yet received") long sequence,
        @Schema(oneOf = {EventData.ContactOptedOut.class, EventData.ContactOptedIn.class, EventData.ContactErased.class,
                EventData.MessageBounced.class, EventData.MessageFailed.class, EventData.BookingCreated.class,
                EventData.BookingStatusChanged.class, EventData.BookingAttributed.class, EventData.CampaignStarted.class,
                EventData.CampaignCompleted.class},
                description = "what happened, by type: contact.opted_out → ContactOptedOut, contact.opted_in → ContactOptedIn, "
                        + "contact.erased → ContactErased, message.bounced → MessageBounced, message.failed → MessageFailed, "
                        + "booking.created → BookingCreated, booking.status_changed → BookingStatusChanged, "
                        + "booking.attributed → BookingAttributed, campaign.started → CampaignStarted, "
                        + "campaign.completed → CampaignCompleted")
        Object data) {
}
