package health.outreach.tracking;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.delivery.MessageChanges;
import health.outreach.contact.Suppressions;
import health.outreach.events.EventLog;
import health.outreach.common.Jdbc;
import health.outreach.events.Counters;
import health.outreach.events.Metric;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivery reports from providers move a message's state forward only: SENT may become DELIVERED,
 * FAILED or BOUNCED, and an UNKNOWN outcome is settled as sent first; nothing overwrites DELIVERED with a late "sent"; a bounce of a
 * delivered message is still recorded. A hard bounce or complaint suppresses the address.
 * Call inside a transaction.
 */
@Singleton
class DeliveryReceipts {

    private final Jdbc jdbc;
    private final EventLog events;
    private final Counters counters;
    private final Clock clock;
    private final Suppressions suppressions;
    private final MessageChanges messages;
    private final Announcements announcements;

    DeliveryReceipts(Jdbc jdbc, EventLog events, Counters counters, Clock clock, Suppressions suppressions, MessageChanges messages,
                     Announcements announcements) {
        this.messages = messages;
        this.announcements = announcements;
        this.suppressions = suppressions;
        this.jdbc = jdbc;
        this.counters = counters;
        this.events = events;
        this.clock = clock;
    }

    Optional<MessageRef> byProviderId(String providerId) {
        return jdbc.queryOne(MessageRef.SELECT + "WHERE m.provider_id = ?", MessageRef::map, providerId);
    }

    void delivered(MessageRef m, String dedupeKey) {
        Instant now = clock.instant();
        resolveUnknown(m, now);
        if (messages.delivered(m.id(), now)) {
            events.record("DELIVERED", m, now, dedupeKey, null, List.of(Metric.DELIVERED));
        }
    }

    /** A provider's "sent" for a message we could not confirm: it did go out. */
    void sent(MessageRef m) {
        resolveUnknown(m, clock.instant());
    }

    /**
     * Any word from the provider about a message whose outcome was unknown settles it: the provider
     * had it. It counts as sent from the time of the attempt, and no longer as unknown.
     */
    private void resolveUnknown(MessageRef m, Instant now) {
        if (!"UNKNOWN".equals(m.status())) {
            return;
        }
        Instant attempted = messages.settleUnknownAsSent(m.id(), now).orElse(null);
        if (attempted == null) {
            return;
        }
        if (m.campaignId() != null) {
            java.time.LocalDate day = java.time.LocalDate.ofInstant(attempted, java.time.ZoneOffset.UTC);
            long step = m.stepId() == null ? 0 : m.stepId();
            long version = m.templateVersionId() == null ? 0 : m.templateVersionId();
            counters.add(List.of(new Counters.Increment(m.campaignId(), step, m.channel(), version, day, Metric.UNKNOWN_OUTCOME, -1),
                    new Counters.Increment(m.campaignId(), step, m.channel(), version, day, Metric.SENT, 1)));
        }
    }

    void failed(MessageRef m, String reason, boolean suppress, String dedupeKey) {
        Instant now = clock.instant();
        resolveUnknown(m, now);
        if (messages.refusedAfterSend(m.id(), suppress, reason, now)) {
            events.record(suppress ? "BOUNCED" : "FAILED", m, now, dedupeKey, Map.of("reason", reason),
                    List.of(suppress ? Metric.BOUNCED : Metric.FAILED));
            announcements.announce(suppress
                    ? new EventData.MessageBounced(m.id(), m.contactId(), m.campaignId(), m.stepId(), m.channel())
                    : new EventData.MessageFailed(m.id(), m.contactId(), m.campaignId(), m.stepId(), m.channel(), "PERMANENT"));
        }
        if (suppress) {
            suppress(m, "HARD_BOUNCE", reason);
        }
    }

    void suppress(MessageRef m, String reason, String source) {
        String address = m.channel() == health.outreach.common.Channel.EMAIL ? m.email() : m.phone();
        if (address == null) {
            return;
        }
        suppressions.add(new Suppressions.Entry(m.channel(), address, reason, source, clock.instant()));
    }
}
