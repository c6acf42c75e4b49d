package health.outreach.program;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
    private final Clock clock;
    private volatile Program cached;
    private volatile Instant cachedAt = Instant.MIN;

    public ProgramService(ProgramRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public Program current() {
        Instant now = clock.instant();
        Program program = cached;
        if (program == null || cachedAt.plus(CACHE).isBefore(now)) {
            program = repository.findById(Program.ID).orElse(PLACEHOLDER);
            cached = program;
            cachedAt = now;
        }
        return program;
    }

    public Program save(Program program) {
        Program saved = repository.existsById(Program.ID) ? repository.update(program) : repository.save(program);
        cached = saved;
        cachedAt = clock.instant();
        return saved;
    }
}
