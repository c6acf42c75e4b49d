package health.outreach.delivery;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.events.EventLog;
import health.outreach.contact.Suppressions;
import health.outreach.common.Jdbc;
import health.outreach.common.PerRowValues;
import health.outreach.contact.ContactStore;
import health.outreach.events.Counters;
import health.outreach.events.Metric;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes what happened to claimed messages, in the caller's transaction: each status change guarded
 * by the claim ({@code lease_owner}, set only while SENDING), counters, first reach of an enrollment,
 * and suppression of hard-bounced addresses. Progress moves only here, after the provider answered.
 * <p>
 * Everything that follows from a change (events, counters, reach) follows only from the rows this
 * call changed: a message another node took meanwhile, or a group written a second time because
 * its first commit was reported lost, changes nothing and counts nothing. A send is not an event
 * row: the message row holds it (sent_at), and the nightly recount reads it there.
 */
@Singleton
class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final String[] ID = {"id"};

    /** One message's fate. {@code due} only for RETRY and RESCHEDULE. */
    record Result(Claimed message, Kind kind, String reason, String providerId, Instant due, boolean clearSmsNotice) {
    }

    /**
     * RETRY is a real attempt that failed for now; RESCHEDULE gives the claim back without counting
     * an attempt (quiet hours, a pause, a handback, the provider unavailable).
     */
    enum Kind { SENT, RETRY, RESCHEDULE, FAILED_TRANSIENT, FAILED_PERMANENT, BOUNCED, UNKNOWN, SKIPPED }

    private final Jdbc jdbc;
    private final Counters counters;
    private final ObjectMapper json;
    private final Suppressions suppressions;
    private final ContactStore contacts;
    private final EventLog eventLog;
    private final Reach reach;
    private final Announcements announcements;

    Recorder(Jdbc jdbc, Counters counters, ObjectMapper json, Suppressions suppressions,
             ContactStore contacts, EventLog eventLog, Reach reach, Announcements announcements) {
        this.reach = reach;
        this.announcements = announcements;
        this.eventLog = eventLog;
        this.suppressions = suppressions;
        this.contacts = contacts;
        this.jdbc = jdbc;
        this.counters = counters;
        this.json = json;
    }

    /** A final state for one message, and what follows from it once the guarded update applied. */
    private record Final(Object[] row, Claimed message, String eventType, Metric metric, String reason) {
    }

    void record(List<Result> results, String node, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS); // as stored, so rows can be recognised by it
        Map<Long, Result> sent = new HashMap<>();
        List<Object[]> pending = new ArrayList<>();
        List<Final> finals = new ArrayList<>();
        List<EventLog.Row> events = new ArrayList<>();
        List<Suppressions.Entry> suppressions = new ArrayList<>();
        List<Counters.Increment> increments = new ArrayList<>();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Result r : results) {
            Claimed m = r.message();
            switch (r.kind()) {
                case SENT -> sent.put(m.id(), r);
                // Due times are cut to the database's microseconds here: stored, a nanosecond instant
                // rounds to the nearest microsecond, and "due now" rounded up is not yet due.
                case RETRY -> pending.add(new Object[]{r.due().truncatedTo(ChronoUnit.MICROS), r.reason(), 0, now, m.id(), node});
                case RESCHEDULE -> pending.add(new Object[]{r.due().truncatedTo(ChronoUnit.MICROS), r.reason(), 1, now, m.id(), node});
                case FAILED_TRANSIENT, FAILED_PERMANENT -> finals.add(new Final(new Object[]{"FAILED",
                        r.kind() == Kind.FAILED_TRANSIENT ? "TRANSIENT" : "PERMANENT", r.reason(), now, now, m.id(), node},
                        m, "FAILED", Metric.FAILED, r.reason()));
                case BOUNCED -> {
                    finals.add(new Final(new Object[]{"BOUNCED", "PERMANENT", r.reason(), now, now, m.id(), node},
                            m, "BOUNCED", Metric.BOUNCED, r.reason()));
                    if (m.address() != null) { // the address bounced whoever holds the message now
                        suppressions.add(new Suppressions.Entry(m.channel(), m.address(), "HARD_BOUNCE", "message " + m.id(), now));
                    }
                }
                case UNKNOWN -> finals.add(new Final(new Object[]{"UNKNOWN", null, r.reason(), now, now, m.id(), node},
                        m, "UNKNOWN", Metric.UNKNOWN_OUTCOME, r.reason()));
                case SKIPPED -> finals.add(new Final(new Object[]{"SKIPPED", null, r.reason(), null, now, m.id(), node},
                        m, null, Metric.SKIPPED, r.reason()));
            }
        }
        Set<Long> applied = recordSent(sent, node, now);
        Map<Long, Claimed> reached = new TreeMap<>();
        List<Long> noticesCleared = new ArrayList<>();
        for (long id : applied) {
            Result r = sent.get(id);
            Claimed m = r.message();
            count(increments, m, day, Metric.SENT);
            if (m.enrollmentId() != null) {
                reached.putIfAbsent(m.enrollmentId(), m);
            }
            if (r.clearSmsNotice()) {
                noticesCleared.add(m.contactId());
            }
        }
        jdbc.batch("UPDATE message SET status = 'PENDING', due_at = ?, last_error = ?, attempts = attempts - ?, updated_at = ?, "
                + "lease_owner = NULL WHERE id = ? AND lease_owner = ?", pending);
        int[] done = jdbc.batch("UPDATE message SET status = ?, failure_kind = ?, last_error = ?, failed_at = ?, updated_at = ?, "
                + "lease_owner = NULL WHERE id = ? AND lease_owner = ?", finals.stream().map(Final::row).toList());
        for (int i = 0; i < finals.size(); i++) {
            if (done[i] == 0) {
                continue; // another node holds the message now (or this was written before): its record is theirs
            }
            Final f = finals.get(i);
            if (f.eventType() != null) {
                events.add(event(f.eventType(), f.message(), now, f.reason()));
            }
            announce(f);
            count(increments, f.message(), day, f.metric());
        }
        this.suppressions.addAll(suppressions);
        contacts.smsNoticeGiven(noticesCleared);
        eventLog.recordAll(events);
        countReached(reached, now);
        counters.add(increments);
    }

    /**
     * The common outcome in one statement, which answers the rows it marked sent; an SMS also keeps
     * its provider's id (an email's Message-ID is derived from the message id, nothing to store).
     * The guard is "still our claim": lease_owner is set only while SENDING. Naming the status as well
     * would let PostgreSQL's planner pick the partial lease index, whose statistics can say "empty" on
     * a busy outbox, over the primary key.
     */
    private Set<Long> recordSent(Map<Long, Result> sent, String node, Instant now) {
        if (sent.isEmpty()) {
            return Set.of();
        }
        Map<Long, String> providerIds = new HashMap<>();
        sent.forEach((id, r) -> {
            if (r.providerId() != null && r.message().channel() != health.outreach.common.Channel.EMAIL) {
                providerIds.put(id, r.providerId());
            }
        });
        List<Long> ids = new ArrayList<>(new TreeMap<>(sent).keySet());
        Set<Long> applied;
        if (providerIds.isEmpty()) {
            applied = new HashSet<>(jdbc.updateReturning("UPDATE message SET status = 'SENT', sent_at = ?, updated_at = ?, "
                    + "lease_owner = NULL, last_error = NULL WHERE id = ANY (?) AND lease_owner = ?", ID, rs -> rs.getLong(1),
                    now, now, Jdbc.array("bigint", ids), node));
        } else {
            Map<Long, String> all = new HashMap<>();
            sent.keySet().forEach(id -> all.put(id, providerIds.get(id)));
            PerRowValues values = new PerRowValues(all);
            List<Object> params = new ArrayList<>(values.caseParams());
            params.addAll(List.of(now, now));
            params.addAll(values.ids());
            params.add(node);
            applied = new HashSet<>(jdbc.updateReturning("UPDATE message SET status = 'SENT', provider_id = "
                    + values.caseSql("VARCHAR(255)") + ", sent_at = ?, updated_at = ?, lease_owner = NULL, last_error = NULL WHERE "
                    + values.inSql() + " AND lease_owner = ?", ID, rs -> rs.getLong(1), params.toArray()));
        }
        if (applied.size() < ids.size()) {
            // Rows that were not ours any more: another node took them after this one was declared dead
            // (the sweep flagged them), or this group was written by an earlier try whose commit was
            // reported lost (then they carry this very instant, and were counted then).
            Set<Long> before = new HashSet<>(jdbc.query("SELECT id FROM message WHERE id = ANY (?) AND status = 'SENT' AND sent_at = ?",
                    rs -> rs.getLong(1), Jdbc.array("bigint", ids), now));
            ids.stream().filter(id -> !applied.contains(id) && !before.contains(id)).forEach(id ->
                    LOG.warn("Message {} was sent by {} after another node took it over; it may arrive twice", id, node));
        }
        return applied;
    }

    /**
     * First message accepted for an enrollment: the contact counts as reached, once. Two
     * statements for the whole batch: lock the enrollments in id order (another node may be
     * recording a second step of one of them) and read, under the lock, which are not reached yet
     * (as {@code ContactStore.lockForUpdate} does); then mark those.
     */
    private void countReached(Map<Long, Claimed> byEnrollment, Instant now) {
        List<Reach.Person> people = new ArrayList<>(byEnrollment.size());
        byEnrollment.forEach((id, m) -> people.add(new Reach.Person(id, m.campaignId(), m.postalCode(), m.locale())));
        reach.reached(people, now);
    }

    private void announce(Final f) {
        Claimed m = f.message();
        if ("BOUNCED".equals(f.eventType())) {
            announcements.announce(new EventData.MessageBounced(m.id(), m.contactId(), m.campaignId(), m.stepId(), m.channel()));
        } else if ("FAILED".equals(f.eventType())) {
            announcements.announce(new EventData.MessageFailed(m.id(), m.contactId(), m.campaignId(), m.stepId(), m.channel(),
                    (String) f.row()[1]));
        }
    }

    private static void count(List<Counters.Increment> increments, Claimed m, LocalDate day, Metric metric) {
        if (m.campaignId() != null) {
            increments.add(new Counters.Increment(m.campaignId(), m.stepId() == null ? 0 : m.stepId(), m.channel(),
                    m.versionId() == null ? 0 : m.versionId(), day, metric, 1));
        }
    }

    private EventLog.Row event(String type, Claimed m, Instant now, String reason) {
        return new EventLog.Row(type, now, m.contactId(), m.id(), m.campaignId(), m.stepId(), m.channel(), payload(reason));
    }

    private String payload(String reason) {
        if (reason == null) {
            return null;
        }
        try {
            return json.writeValueAsString(Map.of("reason", reason.length() > 500 ? reason.substring(0, 500) : reason));
        } catch (IOException e) {
            return null;
        }
    }
}
