package health.outreach.seed;

import health.outreach.program.ProgramService;
import health.outreach.common.Jdbc;
import health.outreach.config.OutreachConfig;
import health.outreach.program.Program;
import health.outreach.security.FirstAdmin;
import health.outreach.template.TemplateLibrary;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;

/**
 * First start of an empty database: the program row, the first admin, then (when seeds are enabled)
 * the demo data; then, on every start, the template library. Inserting the program row is the cluster-safe "who goes first" test: a second node
 * starting at the same moment blocks on that primary key and then finds the work done.
 */
@Singleton
class Bootstrap implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

    private final Jdbc jdbc;
    private final SeedFiles files;
    private final SeedLoader seeds;
    private final FirstAdmin firstAdmin;
    private final OutreachConfig config;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final TemplateLibrary templates;
    private final ProgramService program;

    Bootstrap(Jdbc jdbc, SeedFiles files, SeedLoader seeds, FirstAdmin firstAdmin, OutreachConfig config,
              TransactionOperations<Connection> transactions, Clock clock, TemplateLibrary templates, ProgramService program) {
        this.program = program;
        this.templates = templates;
        this.jdbc = jdbc;
        this.files = files;
        this.seeds = seeds;
        this.firstAdmin = firstAdmin;
        this.config = config;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        boolean fresh = transactions.executeWrite(status -> {
            boolean first = claimFirstStart();
            firstAdmin.ensure();
            if (first && config.seedsEnabled()) {
                seeds.loadClinicsAndUsers();
            }
            return first;
        });
        // Every start: a new or changed library file becomes a template version.
        templates.sync();
        if (fresh && config.seedsEnabled()) {
            LOG.info("Empty database: loading seed data from {}", config.seedsLocation());
            seeds.loadContactsAndSegments();
            seeds.loadCampaigns();
        }
    }

    /** Inserts the program row; false when it already existed (not the first start, or another node won). */
    private boolean claimFirstStart() {
        if (jdbc.queryLong("SELECT COUNT(*) FROM program WHERE id = ?", Program.ID) > 0) {
            return false;
        }
        SeedModels.ProgramSeed p = files.read("program.json", Argument.of(SeedModels.ProgramSeed.class))
                .orElse(new SeedModels.ProgramSeed("Outreach program", "(set the postal address)", null, null, null,
                        "America/Chicago", "en-US"));
        return program.createIfAbsent(new Program(Program.ID, p.name(), p.postalAddress(), p.supportPhone(), p.supportEmail(),
                p.website(), p.defaultTimeZone(), p.defaultLocale(), clock.instant()));
    }
}
