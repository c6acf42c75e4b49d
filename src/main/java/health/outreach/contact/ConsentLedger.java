package health.outreach.contact;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only consent ledger. Each entry and the contact's current state per channel are
 * written in one transaction, so "who may receive SMS" is one indexed column and always agrees with
 * the ledger. Nothing here updates or deletes an entry.
 */
@Singleton
public class ConsentLedger {

    static final String INSERT = """
            INSERT INTO consent_event (contact_id, channel, action, state_after, source, wording, evidence, actor,
                                       message_id, occurred_at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final java.util.List<String> COLUMNS = java.util.List.of("contact_id", "channel", "action", "state_after",
            "source", "wording", "evidence", "actor", "message_id", "occurred_at", "recorded_at");

    private final Jdbc jdbc;
    private final ContactStore contacts;
    private final AuditLog audit;
    private final Clock clock;
    private final Announcements announcements;

    public ConsentLedger(Jdbc jdbc, ContactStore contacts, AuditLog audit, Clock clock, Announcements announcements) {
        this.announcements = announcements;
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.audit = audit;
        this.clock = clock;
    }

    public List<ConsentEntry> history(long contactId) {
        return jdbc.query("SELECT * FROM consent_event WHERE contact_id = ? ORDER BY id", ConsentEntry::map, contactId);
    }

    @Transactional
    public ConsentEntry record(long contactId, ConsentChange change) {
        ContactRow contact = contacts.find(contactId)
                .filter(c -> c.erasedAt() == null)
                .orElseThrow(() -> ProblemException.notFound("Contact", contactId));
        ConsentState current = contact.consent(change.channel());
        if (change.action() != ConsentAction.OPT_OUT && contact.address(change.channel()) == null) {
            throw ProblemException.invalid("channel", "the contact has no "
                    + (change.channel() == Channel.EMAIL ? "email address" : "phone number") + " to consent for");
        }
        if (change.action().reopens(current)) {
            if (!change.allowReopen()) {
                throw ProblemException.conflict("The contact opted out of " + change.channel()
                        + "; only the person can opt back in");
            }
            if (change.evidence() == null || change.evidence().isBlank()) {
                throw ProblemException.invalid("evidence",
                        "opting back in a person who opted out needs evidence of their request");
            }
        }
        Instant now = clock.instant();
        ConsentState next = change.action().result();
        long id = jdbc.insert(INSERT, contactId, change.channel(), change.action(), next, change.source(),
                change.wording(), change.evidence(), change.actor(), change.messageId(), change.occurredAt(), now);
        jdbc.update("UPDATE contact SET " + ContactColumns.consent(change.channel()) + " = ?, "
                + ContactColumns.consent(change.channel()) + "_at = ?, updated_at = ? WHERE id = ?", next, change.occurredAt(), now, contactId);
        if (change.channel() == Channel.SMS && next == ConsentState.OPTED_IN && current != ConsentState.OPTED_IN) {
            // CTIA: the first text after an opt-in says how to opt out
            jdbc.update("UPDATE contact SET sms_notice_due = TRUE WHERE id = ?", contactId);
        }
        if (next != current && next == ConsentState.OPTED_OUT) {
            announcements.announce(new EventData.ContactOptedOut(contactId, contact.externalId(), change.channel()));
        } else if (next != current && next == ConsentState.OPTED_IN) {
            announcements.announce(new EventData.ContactOptedIn(contactId, contact.externalId(), change.channel()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("channel", change.channel());
        detail.put("from", current);
        detail.put("to", next);
        detail.put("source", change.source());
        audit.recordAs(change.actor(), null, "consent." + change.action().name().toLowerCase(), "contact", contactId, detail);
        return new ConsentEntry(id, contactId, change.channel(), change.action(), next, change.source(), change.wording(),
                change.evidence(), change.actor(), change.messageId(), change.occurredAt(), now);
    }
}
