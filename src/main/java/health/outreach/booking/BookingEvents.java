package health.outreach.booking;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.events.EventLog;
import health.outreach.events.EventSubject;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each move of a booking's status is one BOOKING event, about the message credited with the booking
 * when there is one (so it shows in that message's history), with the booking, the status it moved
 * from and to, and where the news came from: page, webhook, fhir or csv. The counters are not moved
 * here ({@link BookingCounts} does that).
 */
@Singleton
class BookingEvents {

    static final String TYPE = "BOOKING";

    private record Credited(long id, long contactId, @Nullable Long campaignId, @Nullable Long stepId, Channel channel,
                            @Nullable Long templateVersionId) implements EventSubject {
    }

    private final Jdbc jdbc;
    private final EventLog events;

    BookingEvents(Jdbc jdbc, EventLog events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    void moved(long bookingId, @Nullable String from, String to, String source, Instant at) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("bookingId", bookingId);
        payload.put("status", to);
        if (from != null) {
            payload.put("from", from);
        }
        payload.put("source", source.toLowerCase(Locale.ROOT));
        record Row(long contactId, @Nullable Long messageId, @Nullable Long campaignId, @Nullable Long stepId,
                   @Nullable String channel, @Nullable Long versionId) {
        }
        Row b = jdbc.queryOne("SELECT contact_id, message_id, campaign_id, step_id, channel, template_version_id FROM booking WHERE id = ?",
                rs -> new Row(rs.getLong(1), Jdbc.nullableLong(rs, "message_id"), Jdbc.nullableLong(rs, "campaign_id"),
                        Jdbc.nullableLong(rs, "step_id"), rs.getString(5), Jdbc.nullableLong(rs, "template_version_id")), bookingId)
                .orElseThrow();
        if (b.messageId() == null || b.channel() == null) {
            events.recordForContact(TYPE, b.contactId(), b.campaignId(), null, at, null, payload);
            return;
        }
        events.record(TYPE, new Credited(b.messageId(), b.contactId(), b.campaignId(), b.stepId(), Channel.valueOf(b.channel()),
                b.versionId()), at, null, payload, List.of());
    }
}
