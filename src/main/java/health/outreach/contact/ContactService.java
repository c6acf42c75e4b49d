package health.outreach.contact;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.config.OutreachConfig;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicService;
import health.outreach.program.ProgramService;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Creating, merging, editing and erasing contacts through the API. */
@Singleton
public class ContactService {

    public record Saved(ContactView contact, boolean created) {
    }

    private final ContactStore store;
    private final AttributeDefinitions attributeDefinitions;
    private final ClinicService clinics;
    private final ProgramService program;
    private final AuditLog audit;
    private final Jdbc jdbc;
    private final Clock clock;
    private final OutreachConfig config;
    private final Suppressions suppressions;
    private final List<ErasureListener> erasureListeners;
    private final Announcements announcements;

    public ContactService(ContactStore store, AttributeDefinitions attributeDefinitions, ClinicService clinics,
                          ProgramService program, AuditLog audit, Jdbc jdbc, Clock clock, OutreachConfig config, Suppressions suppressions, List<ErasureListener> erasureListeners,
                          Announcements announcements) {
        this.erasureListeners = erasureListeners;
        this.announcements = announcements;
        this.suppressions = suppressions;
        this.store = store;
        this.attributeDefinitions = attributeDefinitions;
        this.clinics = clinics;
        this.program = program;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.config = config;
    }

    public ContactNormalizer normalizer() {
        return new ContactNormalizer(config.phoneDefaultRegion(), program.current().defaultLocale());
    }

    public Optional<ContactView> get(long id) {
        return store.find(id).map(row -> view(row, store.attributes(List.of(id)).get(id)));
    }

    public List<ContactView> page(String query, long offset, int limit) {
        List<ContactRow> rows = store.page(query, offset, limit);
        Map<Long, Map<String, Object>> attributes = store.attributes(rows.stream().map(ContactRow::id).toList());
        Map<Long, String> clinicCodes = clinicCodes();
        Map<Long, List<SuppressionView>> suppressions = store.suppressions(rows.stream().map(ContactRow::id).toList());
        return rows.stream()
                .map(r -> ContactView.of(r, attributes.get(r.id()), r.clinicId() == null ? null : clinicCodes.get(r.clinicId()),
                        suppressions.get(r.id())))
                .toList();
    }

    public long count(String query) {
        return store.count(query);
    }

    /** POST: a contact matching by external id, email or phone is merged into; otherwise a new one is made. */
    @Transactional
    public Saved createOrMerge(ContactInput input) {
        NormalizedContact c = validate(input);
        Long clinicId = clinicId(c.clinicCode());
        List<ContactRow> matches = store.findByKeys(listOf(c.externalId()), listOf(c.email()), listOf(c.phone()));
        Set<Long> ids = matches.stream().map(ContactRow::id).collect(Collectors.toSet());
        if (ids.size() > 1) {
            throw ProblemException.conflict("The external id, email and phone match different contacts ("
                    + ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")) + "); merge them first");
        }
        Instant now = clock.instant();
        if (ids.isEmpty()) {
            long id = saveUnique(() -> store.insert(c, clinicId, now));
            store.writeAttributes(id, c.attributes(), false);
            audit.record("contact.create", "contact", id, Map.of());
            return new Saved(get(id).orElseThrow(), true);
        }
        ContactRow existing = matches.get(0);
        if (existing.erasedAt() != null) {
            throw ProblemException.conflict("That contact was erased at their request and cannot be recreated");
        }
        NormalizedContact merged = c.onto(existing.fields(), !ContactNormalizer.blank(input.locale()));
        Long mergedClinic = clinicId != null ? clinicId : existing.clinicId();
        saveUnique(() -> {
            store.update(existing.id(), merged, mergedClinic, now);
            return existing.id();
        });
        store.writeAttributes(existing.id(), c.attributes(), false);
        audit.record("contact.merge", "contact", existing.id(), Map.of());
        return new Saved(get(existing.id()).orElseThrow(), false);
    }

    /** PUT: replaces every editable field and the attributes. */
    @Transactional
    public ContactView replace(long id, ContactInput input) {
        ContactRow existing = live(id);
        NormalizedContact c = validate(input);
        Long clinicId = clinicId(c.clinicCode());
        for (ContactRow other : store.findByKeys(listOf(c.externalId()), listOf(c.email()), listOf(c.phone()))) {
            if (other.id() != id) {
                throw ProblemException.conflict("Another contact (" + other.id() + ") already has that external id, email or phone");
            }
        }
        saveUnique(() -> {
            store.update(id, c, clinicId, clock.instant());
            return id;
        });
        store.writeAttributes(id, c.attributes(), true);
        audit.record("contact.update", "contact", id, Map.of());
        if (existing.email() != null && !existing.email().equals(c.email())) {
            dropConsentWhenAddressChanges(id, Channel.EMAIL);
        }
        if (existing.phone() != null && !existing.phone().equals(c.phone())) {
            dropConsentWhenAddressChanges(id, Channel.SMS);
        }
        return get(id).orElseThrow();
    }

    /**
     * Consent was given for an address, not a person: a new address starts at NONE. The old consent
     * stays in the ledger, which records the reset.
     */
    private void dropConsentWhenAddressChanges(long id, Channel channel) {
        ContactRow row = store.find(id).orElseThrow();
        if (row.consent(channel) == ConsentState.NONE || row.consent(channel) == ConsentState.OPTED_OUT) {
            return;
        }
        String actor = AuditLog.currentActor();
        jdbc.update("INSERT INTO consent_event (contact_id, channel, action, state_after, source, evidence, actor, occurred_at, recorded_at) "
                        + "VALUES (?, ?, 'OPT_OUT', 'NONE', 'address change', ?, ?, ?, ?)",
                id, channel, "the " + (channel == Channel.EMAIL ? "email address" : "phone number") + " was replaced by " + actor,
                actor, clock.instant(), clock.instant());
        jdbc.update("UPDATE contact SET " + ContactColumns.consent(channel) + " = 'NONE', " + ContactColumns.consent(channel) + "_at = ? WHERE id = ?",
                clock.instant(), id);
        // Every consent change is in the audit log, this one included.
        audit.record("consent.reset", "contact", id, Map.of("channel", channel, "from", row.consent(channel), "to", ConsentState.NONE,
                "reason", "address changed"));
    }

    /**
     * Erasure (GDPR Art. 17): personal data goes; the row stays as a tombstone so counts and
     * reports still add up; both addresses stay suppressed (as hashes) so an old list cannot
     * bring the person back; every feature that keeps rows about the person closes them
     * (unsent messages are cancelled, captured copies deleted).
     */
    @Transactional
    public void erase(long id) {
        ContactRow row = live(id);
        Instant now = clock.instant();
        suppress(Channel.EMAIL, row.email(), now);
        suppress(Channel.SMS, row.phone(), now);
        jdbc.update("DELETE FROM contact_attribute WHERE contact_id = ?", id);
        jdbc.update("""
                UPDATE contact SET external_id = NULL, first_name = NULL, last_name = NULL, email = NULL, phone = NULL,
                       email_hash = NULL, phone_hash = NULL, postal_code = NULL, time_zone = NULL, clinic_id = NULL,
                       paused_until = NULL, erased_at = ?, updated_at = ?
                WHERE id = ?""", now, now, id);
        erasureListeners.forEach(l -> l.erased(id, now));
        announcements.announce(new EventData.ContactErased(id, row.externalId()));
        audit.record("contact.erase", "contact", id, Map.of());
    }

    private void suppress(Channel channel, String address, Instant now) {
        if (address == null) {
            return;
        }
        suppressions.add(new Suppressions.Entry(channel, address, "ERASED", "erasure request", now));
    }

    private ContactRow live(long id) {
        return store.find(id).filter(r -> r.erasedAt() == null)
                .orElseThrow(() -> ProblemException.notFound("Contact", id));
    }

    private NormalizedContact validate(ContactInput input) {
        if (input == null) {
            throw ProblemException.invalid("body", "a contact is required");
        }
        ContactNormalizer.Result result = normalizer().normalize(input, attributeDefinitions::typeOf);
        List<FieldError> errors = new ArrayList<>(result.errors());
        if (result.contact().clinicCode() != null && clinics.findByCode(result.contact().clinicCode()).isEmpty()) {
            errors.add(FieldError.of("clinic", "no clinic has the code '" + result.contact().clinicCode() + "'"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        result.contact().attributes().forEach((name, value) -> {
            if (value != null) {
                attributeDefinitions.define(name, value.type());
            }
        });
        return result.contact();
    }

    private Long clinicId(String code) {
        return code == null ? null : clinics.findByCode(code).map(Clinic::id).orElse(null);
    }

    private long saveUnique(java.util.function.LongSupplier write) {
        try {
            return write.getAsLong();
        } catch (Jdbc.DataAccessFailure e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.conflict("Another contact already has that external id, email or phone");
            }
            throw e;
        }
    }

    private ContactView view(ContactRow row, Map<String, Object> attributes) {
        String clinic = row.clinicId() == null ? null : clinics.find(row.clinicId()).map(Clinic::code).orElse(null);
        return ContactView.of(row, attributes, clinic, store.suppressions(List.of(row.id())).get(row.id()));
    }

    private Map<Long, String> clinicCodes() {
        Map<Long, String> codes = new HashMap<>();
        clinics.list().forEach(c -> codes.put(c.id(), c.code()));
        return codes;
    }

    private static List<String> listOf(String value) {
        return value == null ? List.of() : List.of(value);
    }
}
