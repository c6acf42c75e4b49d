package health.outreach.events;

import health.outreach.common.BulkInsert;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records what happened to a message, in the caller's transaction: the event row (a dedupe key makes
 * a replayed webhook a no-op) and the report counters it moves, so reports never count raw events.
 */
@Singleton
public class EventLog {

    private static final List<String> COLUMNS = List.of("event_type", "occurred_at", "recorded_at", "contact_id", "message_id",
            "campaign_id", "step_id", "channel", "payload");

    /** An event about a message, recorded with others in one statement; {@code payload} is JSON or null. */
    public record Row(String type, Instant occurredAt, long contactId, long messageId, @Nullable Long campaignId,
                      @Nullable Long stepId, Channel channel, @Nullable String payload) {
    }

    private final Jdbc jdbc;
    private final Counters counters;
    private final ObjectMapper json;
    private final Clock clock;

    public EventLog(Jdbc jdbc, Counters counters, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.counters = counters;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @return false when an event with this dedupe key was recorded before (nothing changes then)
     */
    public boolean record(String type, EventSubject m, Instant occurredAt, @Nullable String dedupeKey,
                          @Nullable Map<String, ?> payload, List<Metric> metrics) {
        int inserted = jdbc.update("INSERT INTO event (event_type, occurred_at, recorded_at, contact_id, message_id, campaign_id, "
                        + "step_id, channel, dedupe_key, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                type, occurredAt, clock.instant(), m.contactId(), m.id(), m.campaignId(), m.stepId(), m.channel(), dedupeKey,
                payload == null ? null : toJson(payload));
        if (inserted == 0) {
            return false;
        }
        count(m, occurredAt, metrics);
        return true;
    }

    /** An event about a person rather than one of our messages (a reply to nothing we sent, say); counts nothing. */
    public boolean recordForContact(String type, long contactId, @Nullable Long campaignId, @Nullable Channel channel,
                                    Instant occurredAt, @Nullable String dedupeKey, @Nullable Map<String, ?> payload) {
        return jdbc.update("INSERT INTO event (event_type, occurred_at, recorded_at, contact_id, campaign_id, channel, dedupe_key, "
                        + "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", type, occurredAt, clock.instant(),
                contactId, campaignId, channel, dedupeKey, payload == null ? null : toJson(payload)) == 1;
    }

    /** Counter increments for a message's campaign step, bucketed by the event's UTC day. */
    public void count(EventSubject m, Instant occurredAt, List<Metric> metrics) {
        if (m.campaignId() == null || metrics.isEmpty()) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
        List<Counters.Increment> increments = new ArrayList<>();
        for (Metric metric : metrics) {
            increments.add(new Counters.Increment(m.campaignId(), m.stepId() == null ? 0 : m.stepId(), m.channel(),
                    m.templateVersionId() == null ? 0 : m.templateVersionId(), day, metric, 1));
        }
        counters.add(increments);
    }

    /** Many message events at once (the dispatcher's outcomes); counts nothing, the caller keeps the counters. */
    public void recordAll(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row r : rows) {
            values.add(new Object[]{r.type(), r.occurredAt(), r.occurredAt(), r.contactId(), r.messageId(), r.campaignId(),
                    r.stepId(), r.channel(), r.payload()});
        }
        BulkInsert.insert(jdbc, "event", COLUMNS, values);
    }

    /** The same event for each of these messages, read from their rows; counts nothing. */
    public void recordForMessages(String type, List<Long> messageIds, Instant at, @Nullable String payloadJson) {
        if (messageIds.isEmpty()) {
            return;
        }
        jdbc.update("INSERT INTO event (event_type, occurred_at, recorded_at, contact_id, message_id, campaign_id, step_id, channel, "
                + "payload) SELECT ?, ?, ?, contact_id, id, campaign_id, step_id, channel, ? FROM message WHERE id = ANY (?)",
                type, at, at, payloadJson, Jdbc.array("bigint", messageIds));
    }

    private String toJson(Map<String, ?> payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (IOException e) {
            return null;
        }
    }
}
