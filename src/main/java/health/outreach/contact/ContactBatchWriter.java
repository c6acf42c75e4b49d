package health.outreach.contact;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.announce.EventType;
import health.outreach.common.Channel;
import health.outreach.common.BulkInsert;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.imports.ImportProgress;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch of validated CSV rows inside the caller's transaction: matches each row to an
 * existing contact (or an earlier row of the batch) by external id, email or phone, merges, checks
 * the consent cells against the merged state, then writes inserts, updates, attributes and ledger
 * entries as JDBC batches.
 */
@Singleton
class ContactBatchWriter {

    private static final String UPDATE = """
            UPDATE contact SET external_id = ?, first_name = ?, last_name = ?, email = ?, phone = ?, email_hash = ?,
                               phone_hash = ?, locale = ?, time_zone = ?, postal_code = ?, clinic_id = ?,
                               email_consent = ?, email_consent_at = ?, sms_consent = ?, sms_consent_at = ?, updated_at = ?,
                               sms_notice_due = (sms_notice_due OR ?)
            WHERE id = ?""";

    /** What a batch did, applied to the job's totals only after the transaction commits. */
    record Outcome(int imported, int updated, List<Rejection> rejections) {
        static final Outcome NONE = new Outcome(0, 0, List.of());

        void apply(ImportProgress progress) {
            progress.addImported(imported);
            progress.addUpdated(updated);
            for (Rejection r : rejections) {
                progress.rejectAtWrite(r.row(), r.errors());
            }
        }
    }

    record Rejection(long row, List<FieldError> errors) {
    }

    /** A contact the batch writes: an existing row (id set) or a new one. */
    private static final class Target {
        Long id;
        NormalizedContact state;
        Long clinicId;
        ConsentState email = ConsentState.NONE;
        ConsentState sms = ConsentState.NONE;
        Instant emailAt;
        Instant smsAt;
        boolean erased;
        boolean touched;
        boolean smsNoticeDue;
        final Map<String, NormalizedContact.TypedValue> attributes = new LinkedHashMap<>();
        final List<Object[]> ledger = new ArrayList<>();
    }

    private final ContactStore store;
    private final Jdbc jdbc;
    private final Clock clock;

    private final Announcements announcements;

    ContactBatchWriter(ContactStore store, Jdbc jdbc, Clock clock, Announcements announcements) {
        this.announcements = announcements;
        this.store = store;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Outcome write(List<ContactCsvRow> rows, long jobId, String actor) {
        Instant now = clock.instant();
        Map<String, Target> byExternalId = new HashMap<>();
        Map<String, Target> byEmail = new HashMap<>();
        Map<String, Target> byPhone = new HashMap<>();
        loadExisting(rows, byExternalId, byEmail, byPhone);

        List<Target> created = new ArrayList<>();
        Set<Target> changed = new LinkedHashSet<>();
        List<Rejection> rejections = new ArrayList<>();
        int updated = 0;
        for (ContactCsvRow row : rows) {
            NormalizedContact c = row.contact();
            Set<Target> matches = new LinkedHashSet<>();
            addIfPresent(matches, byExternalId, c.externalId());
            addIfPresent(matches, byEmail, c.email());
            addIfPresent(matches, byPhone, c.phone());
            if (matches.size() > 1) {
                rejections.add(new Rejection(row.row(), List.of(FieldError.of(null,
                        "the external id, email and phone match different contacts; fix the file or merge them first"))));
                continue;
            }
            Target target = matches.isEmpty() ? null : matches.iterator().next();
            if (target != null && target.erased) {
                rejections.add(new Rejection(row.row(), List.of(FieldError.of(null,
                        "this person's data was erased at their request; they cannot be re-imported"))));
                continue;
            }
            NormalizedContact merged = target == null ? c : c.onto(target.state, row.localeGiven());
            List<FieldError> errors = new ArrayList<>();
            ConsentState email = target == null ? ConsentState.NONE : target.email;
            ConsentState sms = target == null ? ConsentState.NONE : target.sms;
            checkConsent(row.emailConsent(), email, merged.email(), "consent_email", "email address", errors);
            checkConsent(row.smsConsent(), sms, merged.phone(), "consent_sms", "phone number", errors);
            if (!errors.isEmpty()) {
                rejections.add(new Rejection(row.row(), errors));
                continue;
            }
            if (target == null) {
                target = new Target();
                created.add(target);
            } else {
                updated++;
            }
            target.state = merged;
            target.touched = true;
            if (row.clinicId() != null) {
                target.clinicId = row.clinicId();
            }
            target.attributes.putAll(c.attributes());
            applyConsent(target, Channel.EMAIL, row, now, jobId, actor);
            applyConsent(target, Channel.SMS, row, now, jobId, actor);
            index(target, byExternalId, byEmail, byPhone);
            if (target.id != null) {
                changed.add(target);
            }
        }
        writeCreated(created, now);
        writeChanged(changed, now);
        writeAttributesAndLedger(created, changed);
        return new Outcome(created.size(), updated, rejections);
    }

    private void loadExisting(List<ContactCsvRow> rows, Map<String, Target> byExternalId,
                              Map<String, Target> byEmail, Map<String, Target> byPhone) {
        Set<String> externalIds = new LinkedHashSet<>();
        Set<String> emails = new LinkedHashSet<>();
        Set<String> phones = new LinkedHashSet<>();
        for (ContactCsvRow row : rows) {
            addIfNotNull(externalIds, row.contact().externalId());
            addIfNotNull(emails, row.contact().email());
            addIfNotNull(phones, row.contact().phone());
        }
        List<Long> ids = store.findByKeys(externalIds, emails, phones).stream().map(ContactRow::id).toList();
        for (ContactRow existing : store.lockForUpdate(ids)) {
            Target t = new Target();
            t.id = existing.id();
            t.state = new NormalizedContact(existing.externalId(), existing.firstName(), existing.lastName(),
                    existing.email(), existing.phone(), existing.locale(), existing.timeZone(), existing.postalCode(),
                    null, Map.of());
            t.clinicId = existing.clinicId();
            t.email = existing.emailConsent();
            t.sms = existing.smsConsent();
            t.erased = existing.erasedAt() != null;
            index(t, byExternalId, byEmail, byPhone);
        }
    }

    private static void checkConsent(ConsentAction action, ConsentState current, String address, String column,
                                     String what, List<FieldError> errors) {
        if (action == null) {
            return;
        }
        if (action != ConsentAction.OPT_OUT && address == null) {
            errors.add(FieldError.of(column, "the contact has no " + what + " to consent for"));
        } else if (action.reopens(current)) {
            errors.add(FieldError.of(column, "the contact opted out; an import cannot opt them back in (only the person can)"));
        }
    }

    private static void applyConsent(Target t, Channel channel, ContactCsvRow row, Instant now, long jobId, String actor) {
        ConsentAction action = channel == Channel.EMAIL ? row.emailConsent() : row.smsConsent();
        if (action == null) {
            return;
        }
        ConsentState current = channel == Channel.EMAIL ? t.email : t.sms;
        if (current == action.result()) {
            return; // re-importing the same list writes no new ledger entries
        }
        if (channel == Channel.EMAIL) {
            t.email = action.result();
            t.emailAt = now;
        } else {
            t.sms = action.result();
            t.smsAt = now;
            t.smsNoticeDue = action.result() == ConsentState.OPTED_IN;
        }
        t.ledger.add(new Object[]{null, channel, action, action.result(), row.consentSource(), row.consentWording(),
                "import " + jobId + ", row " + row.row(), actor, null, now, now});
    }

    /**
     * Inserts new contacts in bulk (COPY on PostgreSQL), then reads their ids back by email and
     * phone (every contact has one, both unique). Asking the driver for generated keys instead
     * stops pgjdbc from rewriting the batch and made this insert about four times slower.
     */
    private void writeCreated(List<Target> created, Instant now) {
        if (created.isEmpty()) {
            return;
        }
        List<Object[]> params = new ArrayList<>(created.size());
        List<String> emails = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (Target t : created) {
            params.add(ContactStore.bulkInsertParams(t.state, t.clinicId, t.email, t.sms, t.emailAt, t.smsAt, now,
                    t.smsNoticeDue));
            if (t.state.email() != null) {
                emails.add(t.state.email());
            } else {
                phones.add(t.state.phone());
            }
        }
        BulkInsert.insert(jdbc, "contact", ContactStore.BULK_INSERT_COLUMNS, params);
        Map<String, Long> byEmail = store.idsBy("email", emails);
        Map<String, Long> byPhone = store.idsBy("phone", phones);
        for (Target t : created) {
            t.id = t.state.email() != null ? byEmail.get(t.state.email()) : byPhone.get(t.state.phone());
            if (t.id == null) {
                throw new IllegalStateException("an inserted contact was not found again");
            }
        }
    }

    private void writeChanged(Set<Target> changed, Instant now) {
        List<Object[]> params = new ArrayList<>(changed.size());
        for (Target t : changed) {
            NormalizedContact c = t.state;
            params.add(new Object[]{c.externalId(), c.firstName(), c.lastName(), c.email(), c.phone(),
                    ContactStore.hash(c.email()), ContactStore.hash(c.phone()), c.locale(), c.timeZone(), c.postalCode(),
                    t.clinicId, t.email, t.emailAt, t.sms, t.smsAt, now, t.smsNoticeDue, t.id});
        }
        jdbc.batch(UPDATE, params);
    }

    private void writeAttributesAndLedger(List<Target> created, Set<Target> changed) {
        List<Object[]> deletes = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> ledger = new ArrayList<>();
        for (Target t : changed) {
            t.attributes.keySet().forEach(name -> deletes.add(new Object[]{t.id, name}));
        }
        for (List<Target> group : List.of(created, new ArrayList<>(changed))) {
            for (Target t : group) {
                t.attributes.forEach((name, value) -> {
                    if (value != null) {
                        inserts.add(ContactStore.attributeRow(t.id, name, value));
                    }
                });
                for (Object[] entry : t.ledger) {
                    entry[0] = t.id;
                    ledger.add(entry);
                }
            }
        }
        jdbc.batch("DELETE FROM contact_attribute WHERE contact_id = ? AND name = ?", deletes);
        BulkInsert.insert(jdbc, "contact_attribute", ContactStore.ATTRIBUTE_COLUMNS, inserts);
        BulkInsert.insert(jdbc, "consent_event", ConsentLedger.COLUMNS, ledger);
        announce(created, changed);
    }

    /** The batch's opt-ins and opt-outs, in its transaction, like any other consent change (ConsentLedger). */
    private void announce(List<Target> created, Set<Target> changed) {
        boolean out = announcements.wanted(EventType.CONTACT_OPTED_OUT);
        boolean in = announcements.wanted(EventType.CONTACT_OPTED_IN);
        if (!out && !in) {
            return;
        }
        for (List<Target> group : List.of(created, new ArrayList<>(changed))) {
            for (Target t : group) {
                for (Object[] entry : t.ledger) {
                    Channel channel = (Channel) entry[1];
                    if (out && entry[3] == ConsentState.OPTED_OUT) {
                        announcements.announce(new EventData.ContactOptedOut(t.id, t.state.externalId(), channel));
                    } else if (in && entry[3] == ConsentState.OPTED_IN) {
                        announcements.announce(new EventData.ContactOptedIn(t.id, t.state.externalId(), channel));
                    }
                }
            }
        }
    }

    private static void index(Target t, Map<String, Target> byExternalId, Map<String, Target> byEmail,
                              Map<String, Target> byPhone) {
        if (t.state.externalId() != null) {
            byExternalId.put(t.state.externalId(), t);
        }
        if (t.state.email() != null) {
            byEmail.put(t.state.email(), t);
        }
        if (t.state.phone() != null) {
            byPhone.put(t.state.phone(), t);
        }
    }

    private static void addIfPresent(Set<Target> matches, Map<String, Target> index, String key) {
        if (key != null && index.containsKey(key)) {
            matches.add(index.get(key));
        }
    }

    private static void addIfNotNull(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }
}
