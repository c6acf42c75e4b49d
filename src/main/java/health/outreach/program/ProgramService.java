package health.outreach.program;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import health.outreach.audit.AuditLog;
import health.outreach.common.Jdbc;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The program row, cached briefly: every rendered message reads it, and it changes rarely
 * (another node's edit shows here within the cache period).
 */
@Singleton
public class ProgramService {

    private static final Duration CACHE = Duration.ofSeconds(30);
    public static final Program PLACEHOLDER = new Program(Program.ID, "Outreach program", "(postal address not set)",
            null, null, null, "America/Chicago", "en-US", Instant.EPOCH);

    private final ProgramRepository repository;
    private final Jdbc jdbc;
    private final AuditLog audit;
    /** One entry; on the service clock, so tests that move time see it expire. */
    private final LoadingCache<Integer, Program> cache;

    public ProgramService(ProgramRepository repository, Clock clock, Jdbc jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.repository = repository;
        this.cache = Caffeine.newBuilder().expireAfterWrite(CACHE).ticker(() -> clock.millis() * 1_000_000L)
                .build(id -> repository.findById(id).orElse(PLACEHOLDER));
    }

    public Program current() {
        return cache.get(Program.ID);
    }

    /** An administrator's change, audited with it. */
    @Transactional
    public Program update(Program program) {
        Program saved = save(program);
        audit.record("program.update", "program", Program.ID, Map.of());
        return saved;
    }

    public Program save(Program program) {
        Program saved = repository.existsById(Program.ID) ? repository.update(program) : repository.save(program);
        cache.put(Program.ID, saved);
        return saved;
    }

    /**
     * Writes the program row on the first start of a new database. Answers false when it existed
     * already, also when another node starting at the same moment wrote it first.
     */
    public boolean createIfAbsent(Program p) {
        try {
            jdbc.update("""
                            INSERT INTO program (id, name, postal_address, support_phone, support_email, website,
                                                 default_time_zone, default_locale, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    Program.ID, p.name(), p.postalAddress(), p.supportPhone(), p.supportEmail(), p.website(),
                    p.defaultTimeZone(), p.defaultLocale(), p.updatedAt());
            return true;
        } catch (Jdbc.DataAccessFailure e) {
            if (e.isUniqueViolation()) {
                return false;
            }
            throw e;
        }
    }

    /** What reports count as a conversion: BOOKED (the clinic confirmed) or ATTENDED. */
    public static final java.util.List<String> CONVERSIONS = java.util.List.of("BOOKED", "ATTENDED");

    public String conversion() {
        return jdbc.queryOne("SELECT conversion_status FROM program WHERE id = ?", rs -> rs.getString(1), Program.ID).orElse("BOOKED");
    }

    /**
     * An administrator's choice, audited. Counters keep both people who booked and people who
     * attended, so the choice changes what reports call a conversion, from the next report on, and
     * needs no recount.
     */
    @Transactional
    public String conversion(String status) {
        if (!CONVERSIONS.contains(status)) {
            throw health.outreach.common.ProblemException.invalid("status", "must be BOOKED or ATTENDED");
        }
        jdbc.update("UPDATE program SET conversion_status = ? WHERE id = ?", status, Program.ID);
        audit.record("program.conversion", "program", Program.ID, Map.of("status", status));
        return status;
    }

    /** How many contacts and bookings name the clinic; a clinic still named cannot be deleted. */
    public long clinicReferences(long clinicId) {
        return jdbc.queryLong("SELECT (SELECT COUNT(*) FROM contact WHERE clinic_id = ?) "
                + "+ (SELECT COUNT(*) FROM booking WHERE clinic_id = ?)", clinicId, clinicId);
    }
}
