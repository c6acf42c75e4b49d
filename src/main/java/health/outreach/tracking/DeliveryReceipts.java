package health.outreach.tracking;

import health.outreach.common.Jdbc;
import health.outreach.contact.ContactStore;
import health.outreach.report.Metric;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivery reports from providers move a message's state forward only: SENT or UNKNOWN may become
 * DELIVERED, FAILED or BOUNCED; nothing overwrites DELIVERED with a late "sent"; a bounce of a
 * delivered message is still recorded. A hard bounce or complaint suppresses the address.
 * Call inside a transaction.
 */
@Singleton
class DeliveryReceipts {

    private final Jdbc jdbc;
    private final Events events;
    private final Clock clock;

    DeliveryReceipts(Jdbc jdbc, Events events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    Optional<MessageRef> byProviderId(String providerId) {
        return jdbc.queryOne(MessageRef.SELECT + "WHERE m.provider_id = ?", MessageRef::map, providerId);
    }

    void delivered(MessageRef m, String dedupeKey) {
        Instant now = clock.instant();
        if (jdbc.update("UPDATE message SET status = 'DELIVERED', delivered_at = ?, updated_at = ? WHERE id = ? "
                + "AND status IN ('SENT', 'UNKNOWN')", now, now, m.id()) == 1) {
            events.record("DELIVERED", m, now, dedupeKey, null, List.of(Metric.DELIVERED));
        }
    }

    /** A provider's "sent" for a message we could not confirm: it did go out. */
    void sent(MessageRef m) {
        Instant now = clock.instant();
        jdbc.update("UPDATE message SET status = 'SENT', sent_at = COALESCE(sent_at, ?), updated_at = ? WHERE id = ? AND status = 'UNKNOWN'",
                now, now, m.id());
    }

    void failed(MessageRef m, String reason, boolean suppress, String dedupeKey) {
        Instant now = clock.instant();
        String status = suppress ? "BOUNCED" : "FAILED";
        if (jdbc.update("UPDATE message SET status = ?, failure_kind = 'PERMANENT', last_error = ?, failed_at = ?, updated_at = ? "
                + "WHERE id = ? AND status IN ('SENT', 'UNKNOWN', 'DELIVERED')", status, reason, now, now, m.id()) == 1) {
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
