package health.outreach.program;

import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import health.outreach.common.Zones;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** The clinics: each change checked, written and audited in one transaction. */
@Singleton
public class ClinicService {

    /** A clinic's editable fields; a null secret keeps the current one. */
    public record Fields(String code, String name, String phone, String address, String postalCode, String timeZone,
                         String webhookSecret) {
    }

    private final ClinicRepository clinics;
    private final ProgramService program;
    private final AuditLog audit;
    private final Clock clock;

    ClinicService(ClinicRepository clinics, ProgramService program, AuditLog audit, Clock clock) {
        this.clinics = clinics;
        this.program = program;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Clinic> list() {
        return clinics.listOrderByName();
    }

    public Optional<Clinic> find(long id) {
        return clinics.findById(id);
    }

    public Optional<Clinic> findByCode(String code) {
        return clinics.findByCode(code);
    }

    public Clinic get(long id) {
        return clinics.findById(id).orElseThrow(() -> ProblemException.notFound("Clinic", id));
    }

    @Transactional
    public Clinic create(Fields f) {
        requireZone(f.timeZone());
        if (clinics.findByCode(f.code()).isPresent()) {
            throw ProblemException.conflict("A clinic with code '" + f.code() + "' exists");
        }
        Clinic saved = clinics.save(new Clinic(null, f.code(), f.name(), f.phone(), f.address(), f.postalCode(), f.timeZone(),
                f.webhookSecret(), null, clock.instant()));
        audit.record("clinic.create", "clinic", saved.id(), Map.of("code", saved.code()));
        return saved;
    }

    /** A new webhook secret keeps the old one valid too, for a rotation without downtime. */
    @Transactional
    public Clinic update(long id, Fields f) {
        requireZone(f.timeZone());
        Clinic c = get(id);
        boolean rotated = f.webhookSecret() != null && !f.webhookSecret().equals(c.webhookSecret());
        Clinic saved = clinics.update(new Clinic(id, f.code(), f.name(), f.phone(), f.address(), f.postalCode(), f.timeZone(),
                rotated ? f.webhookSecret() : c.webhookSecret(), rotated ? c.webhookSecret() : c.webhookSecretPrevious(),
                c.createdAt()));
        audit.record("clinic.update", "clinic", id, Map.of("secretRotated", rotated));
        return saved;
    }

    /** Refused while contacts or bookings still name the clinic. */
    @Transactional
    public void delete(long id) {
        get(id);
        long references = program.clinicReferences(id);
        if (references > 0) {
            throw ProblemException.conflict("The clinic is still referenced by " + references + " contacts or bookings");
        }
        clinics.deleteById(id);
        audit.record("clinic.delete", "clinic", id, Map.of());
    }

    private static void requireZone(String zone) {
        if (!Zones.isRegion(zone)) {
            throw ProblemException.invalid("timeZone", Zones.problem(zone));
        }
    }
}
