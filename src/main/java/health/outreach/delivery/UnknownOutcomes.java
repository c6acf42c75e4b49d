package health.outreach.delivery;

import health.outreach.events.EventLog;
import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.events.Counters;
import health.outreach.events.Metric;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The way out for a send whose outcome is unknown (the provider went silent after the message was
 * handed over): an operator either sends it again, accepting that the person may get it twice (the
 * message is flagged so), or counts it as sent. Both are audited and keep the counters right; a
 * completed campaign reopens to resend. Call inside a transaction.
 */
@Singleton
public class UnknownOutcomes {

    public enum Resolution { RESEND, MARK_SENT }

    private final Jdbc jdbc;
    private final Counters counters;
    private final AuditLog audit;
    private final Clock clock;
    private final EventLog events;
    private final Reach reach;

    UnknownOutcomes(Jdbc jdbc, Counters counters, AuditLog audit, Clock clock, EventLog events, Reach reach) {
        this.reach = reach;
        this.events = events;
        this.jdbc = jdbc;
        this.counters = counters;
        this.audit = audit;
        this.clock = clock;
    }

    private record Row(long id, long contactId, Long enrollmentId, long stepId, Channel channel, long versionId, Instant at,
                       String postalCode, String locale, boolean reached) {
    }

    /** Resolves every unknown outcome of the campaign (or only those of {@code messageIds}); answers how many. */
    public int resolve(long campaignId, List<Long> messageIds, Resolution resolution) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String only = messageIds == null || messageIds.isEmpty() ? "" : " AND m.id = ANY (?)";
        List<Object> params = new ArrayList<>(List.of(campaignId));
        if (!only.isEmpty()) {
            params.add(Jdbc.array("bigint", messageIds));
        }
        List<Long> locked = jdbc.query("SELECT m.id FROM message m WHERE m.campaign_id = ? AND m.status = 'UNKNOWN'" + only
                + " ORDER BY m.id FOR UPDATE", rs -> rs.getLong(1), params.toArray());
        if (locked.isEmpty()) {
            return 0;
        }
        List<Row> rows = jdbc.query("SELECT m.id, m.contact_id, m.enrollment_id, COALESCE(m.step_id, 0), m.channel, "
                        + "COALESCE(m.template_version_id, 0), COALESCE(m.failed_at, m.updated_at) AS at, c.postal_code, c.locale, "
                        + "e.first_reached_at IS NOT NULL FROM message m JOIN contact c ON c.id = m.contact_id "
                        + "LEFT JOIN enrollment e ON e.id = m.enrollment_id "
                        + "WHERE m.id = ANY (?) ORDER BY m.id",
                rs -> new Row(rs.getLong(1), rs.getLong(2), Jdbc.nullableLong(rs, "enrollment_id"), rs.getLong(4),
                        Channel.valueOf(rs.getString(5)), rs.getLong(6), Jdbc.instant(rs, "at"), rs.getString(8), rs.getString(9),
                        rs.getBoolean(10)), Jdbc.array("bigint", locked));
        if (rows.isEmpty()) {
            return 0;
        }
        String actor = AuditLog.currentActor();
        List<Long> ids = rows.stream().map(Row::id).toList();
        List<Counters.Increment> increments = new ArrayList<>();
        for (Row r : rows) {
            LocalDate day = LocalDate.ofInstant(r.at(), ZoneOffset.UTC);
            increments.add(new Counters.Increment(campaignId, r.stepId(), r.channel(), r.versionId(), day, Metric.UNKNOWN_OUTCOME, -1));
            increments.add(new Counters.Increment(campaignId, r.stepId(), r.channel(), r.versionId(),
                    resolution == Resolution.RESEND ? LocalDate.ofInstant(now, ZoneOffset.UTC) : day,
                    resolution == Resolution.RESEND ? Metric.POSSIBLE_DUPLICATE : Metric.SENT, 1));
        }
        if (resolution == Resolution.RESEND) {
            jdbc.update("UPDATE message SET status = 'PENDING', due_at = ?, possible_duplicate = TRUE, failure_kind = NULL, "
                            + "last_error = ?, updated_at = ? WHERE id = ANY (?) AND status = 'UNKNOWN'", now,
                    "sent again by " + actor + " after an unknown outcome: may arrive twice", now, Jdbc.array("bigint", ids));
        } else {
            jdbc.update("UPDATE message SET status = 'SENT', sent_at = COALESCE(sent_at, failed_at, updated_at), "
                            + "last_error = ?, updated_at = ? WHERE id = ANY (?) AND status = 'UNKNOWN'",
                    "counted as sent by " + actor + " after an unknown outcome", now, Jdbc.array("bigint", ids));
            countReached(campaignId, rows, now);
        }
        events.recordForMessages(resolution == Resolution.RESEND ? "RESENT" : "MARKED_SENT", ids, now,
                "{\"by\":\"" + actor.replace("\"", "") + "\"}");
        counters.add(increments);
        audit.record(resolution == Resolution.RESEND ? "campaign.unknown-resend" : "campaign.unknown-mark-sent", "campaign",
                campaignId, Map.of("messages", ids.size()));
        return ids.size();
    }

    private void countReached(long campaignId, List<Row> rows, Instant now) {
        reach.reached(rows.stream().filter(r -> r.enrollmentId() != null && !r.reached())
                .map(r -> new Reach.Person(r.enrollmentId(), campaignId, r.postalCode(), r.locale())).toList(), now);
    }
}
