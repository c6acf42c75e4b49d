package health.outreach.seed;

import health.outreach.audit.AuditLog;
import health.outreach.campaign.CampaignService;
import health.outreach.campaign.CampaignViews;
import health.outreach.template.TemplateStore;
import health.outreach.contact.ContactImporter;
import health.outreach.imports.CsvUpload;
import health.outreach.imports.ImportJobs;
import health.outreach.program.ClinicService;
import health.outreach.program.RegionNames;
import health.outreach.security.FirstAdmin;
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
    private final ClinicService clinics;
    private final FirstAdmin users;
    private final ContactImporter importer;
    private final ImportJobs jobs;
    private final SegmentService segments;
    private final Clock clock;
    private final CampaignService campaigns;
    private final TemplateStore templates;
    private final RegionNames regions;

    SeedLoader(SeedFiles files, ClinicService clinics, FirstAdmin users, ContactImporter importer, ImportJobs jobs,
               SegmentService segments, Clock clock, CampaignService campaigns,
               TemplateStore templates, RegionNames regions) {
        this.regions = regions;
        this.campaigns = campaigns;
        this.templates = templates;
        this.files = files;
        this.clinics = clinics;
        this.users = users;
        this.importer = importer;
        this.jobs = jobs;
        this.segments = segments;
        this.clock = clock;
    }

    void loadClinicsAndUsers() {
        for (SeedModels.ClinicSeed c : files.read("clinics.json", Argument.listOf(SeedModels.ClinicSeed.class)).orElse(List.of())) {
            if (clinics.findByCode(c.code()).isEmpty()) {
                clinics.create(new ClinicService.Fields(c.code(), c.name(), c.phone(), c.address(), c.postalCode(), c.timeZone(),
                        c.webhookSecret()));
            }
        }
        regions.seed(files.read("regions.json", Argument.listOf(RegionNames.Region.class)).orElse(List.of()));
        for (SeedModels.UserSeed u : files.read("users.json", Argument.listOf(SeedModels.UserSeed.class)).orElse(List.of())) {
            users.createWithGeneratedPassword(u.username(), u.displayName(), u.role());
        }
    }

    void loadContactsAndSegments() {
        files.open("contacts.csv").ifPresent(this::importContacts);
        for (SeedModels.SegmentSeed s : files.read("segments.json", Argument.listOf(SeedModels.SegmentSeed.class)).orElse(List.of())) {
            if (segments.findByName(s.name()).isEmpty()) {
                segments.create(s.name(), s.description(), s.rule(), AuditLog.SYSTEM);
            }
        }
    }

    /** Demo campaigns, created and scheduled to launch shortly after the first start. */
    void loadCampaigns() {
        for (SeedModels.CampaignSeed c : files.read("campaigns.json", Argument.listOf(SeedModels.CampaignSeed.class)).orElse(List.of())) {
            var segment = segments.findByName(c.segment())
                    .orElseThrow(() -> new IllegalStateException("seed campaign '" + c.name() + "' names an unknown segment"));
            List<CampaignViews.StepForm> steps = c.steps().stream().map(s -> new CampaignViews.StepForm(s.channel(),
                    templates.findByLibraryKey(s.template()).orElseThrow(() ->
                            new IllegalStateException("seed campaign step names an unknown template " + s.template())).id(),
                    null, null, s.afterEnrollment(), null, s.sendHour())).toList();
            CampaignViews.View created = campaigns.create(new CampaignViews.Form(c.name(), segment.id(), c.defaultLocale(),
                    null, steps, "ONCE", null, c.holdoutPercent(), c.attributionWindowDays(),
                    clock.instant().plusSeconds(c.startsInSeconds())), AuditLog.SYSTEM);
            campaigns.act(created.id(), "schedule");
            LOG.info("Seed campaign '{}' scheduled to launch in {} s", c.name(), c.startsInSeconds());
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
