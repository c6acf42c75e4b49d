package health.outreach.tracking;

import health.outreach.common.Jdbc;
import health.outreach.contact.ContactStore;
import health.outreach.report.Counters;
import health.outreach.report.Metric;
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
    private final Events events;
    private final Counters counters;
    private final Clock clock;

    DeliveryReceipts(Jdbc jdbc, Events events, Counters counters, Clock clock) {
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
        if (jdbc.update("UPDATE message SET status = 'DELIVERED', delivered_at = ?, updated_at = ? WHERE id = ? "
                + "AND status = 'SENT'", now, now, m.id()) == 1) {
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
        Instant attempted = jdbc.queryOne("SELECT COALESCE(failed_at, updated_at) FROM message WHERE id = ? AND status = 'UNKNOWN'",
                rs -> rs.getTimestamp(1).toInstant(), m.id()).orElse(null);
        if (attempted == null || jdbc.update("UPDATE message SET status = 'SENT', sent_at = COALESCE(sent_at, ?), last_error = NULL, "
                + "updated_at = ? WHERE id = ? AND status = 'UNKNOWN'", attempted, now, m.id()) == 0) {
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
        String status = suppress ? "BOUNCED" : "FAILED";
        if (jdbc.update("UPDATE message SET status = ?, failure_kind = 'PERMANENT', last_error = ?, failed_at = ?, updated_at = ? "
                + "WHERE id = ? AND status IN ('SENT', 'DELIVERED')", status, reason, now, now, m.id()) == 1) {
            events.record(suppress ? "BOUNCED" : "FAILED", m, now, dedupeKey, Map.of("reason", reason),
                    List.of(suppress ? Metric.BOUNCED : Metric.FAILED));
        }
        if (suppress) {
            suppress(m, "HARD_BOUNCE", reason);
        }
    }

    void suppress(MessageRef m, String reason, String source) {
        String address = m.channel() == health.outreach.channel.Channel.EMAIL ? m.email() : m.phone();
        if (address == null) {
            return;
        }
        String hash = ContactStore.hash(address);
        jdbc.update("INSERT INTO suppression (channel, address_hash, reason, source, created_at) SELECT ?, ?, ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM suppression WHERE channel = ? AND address_hash = ?)",
                m.channel(), hash, reason, source.length() > 200 ? source.substring(0, 200) : source, clock.instant(), m.channel(), hash);
    }
}
