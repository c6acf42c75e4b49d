package health.outreach.seed;

import health.outreach.audit.AuditLog;
import health.outreach.contact.ContactImporter;
import health.outreach.imports.CsvUpload;
import health.outreach.imports.ImportJobs;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicRepository;
import health.outreach.security.FirstAdmin;
import health.outreach.segment.SegmentRepository;
import health.outreach.segment.SegmentService;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;

/** Loads the demo data from {@code seeds/} into an empty database (see seeds/README.md). */
@Singleton
class SeedLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SeedLoader.class);

    private final SeedFiles files;
    private final ClinicRepository clinics;
    private final FirstAdmin users;
    private final ContactImporter importer;
    private final ImportJobs jobs;
    private final SegmentService segments;
    private final SegmentRepository segmentRepository;
    private final Clock clock;

    SeedLoader(SeedFiles files, ClinicRepository clinics, FirstAdmin users, ContactImporter importer, ImportJobs jobs,
               SegmentService segments, SegmentRepository segmentRepository, Clock clock) {
        this.files = files;
        this.clinics = clinics;
        this.users = users;
        this.importer = importer;
        this.jobs = jobs;
        this.segments = segments;
        this.segmentRepository = segmentRepository;
        this.clock = clock;
    }

    void loadClinicsAndUsers() {
        for (SeedModels.ClinicSeed c : files.read("clinics.json", Argument.listOf(SeedModels.ClinicSeed.class)).orElse(List.of())) {
            if (clinics.findByCode(c.code()).isEmpty()) {
                clinics.save(new Clinic(null, c.code(), c.name(), c.phone(), c.address(), c.postalCode(), c.timeZone(),
                        c.webhookSecret(), null, clock.instant()));
            }
        }
        for (SeedModels.UserSeed u : files.read("users.json", Argument.listOf(SeedModels.UserSeed.class)).orElse(List.of())) {
            users.createWithGeneratedPassword(u.username(), u.displayName(), u.role());
        }
    }

    void loadContactsAndSegments() {
        files.open("contacts.csv").ifPresent(this::importContacts);
        for (SeedModels.SegmentSeed s : files.read("segments.json", Argument.listOf(SeedModels.SegmentSeed.class)).orElse(List.of())) {
            if (segmentRepository.findByName(s.name()).isEmpty()) {
                segments.create(s.name(), s.description(), s.rule(), AuditLog.SYSTEM);
            }
        }
    }

    private void importContacts(InputStream csv) {
        try (CsvUpload upload = CsvUpload.spool(csv, Long.MAX_VALUE)) {
            ContactImporter.Plan plan = importer.check(upload);
            long jobId = importer.runNow(upload, plan, AuditLog.SYSTEM);
            jobs.find(jobId).ifPresent(r -> LOG.info("Seed contacts: {} imported, {} updated, {} rejected{}",
                    r.imported(), r.updated(), r.rejected(), r.rejected() > 0 ? " " + r.errors() : ""));
        }
    }
}
