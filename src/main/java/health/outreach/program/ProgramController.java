package health.outreach.program;

import health.outreach.common.Zones;
import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The program's identity and its clinics. Everyone signed in reads them; administrators change them. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ProgramController {

    private final ProgramService program;
    private final ClinicRepository clinics;
    private final AuditLog audit;
    private final Clock clock;

    ProgramController(ProgramService program, ClinicRepository clinics, AuditLog audit, Clock clock) {
        this.program = program;
        this.clinics = clinics;
        this.audit = audit;
        this.clock = clock;
    }

    @Serdeable
    record ProgramForm(@NotBlank @Size(max = 200) String name,
                       @NotBlank @Size(max = 500) String postalAddress,
                       @Nullable @Size(max = 32) String supportPhone,
                       @Nullable @Email @Size(max = 320) String supportEmail,
                       @Nullable @Pattern(regexp = "https?://\\S{1,1990}") String website,
                       @NotBlank String defaultTimeZone,
                       @NotBlank @Size(max = 35) String defaultLocale) {
    }

    /** A clinic as readers see it: the webhook secrets stay out of every response. */
    @Serdeable
    record ClinicView(long id, String code, String name, @Nullable String phone, @Nullable String address,
                      @Nullable String postalCode, String timeZone, boolean webhookConfigured) {
        static ClinicView of(Clinic c) {
            return new ClinicView(c.id(), c.code(), c.name(), c.phone(), c.address(), c.postalCode(), c.timeZone(),
                    c.webhookSecret() != null);
        }
    }

    @Serdeable
    record ClinicForm(@NotBlank @Pattern(regexp = "[a-z0-9-]{2,64}") String code,
                      @NotBlank @Size(max = 200) String name,
                      @Nullable @Size(max = 32) String phone,
                      @Nullable @Size(max = 500) String address,
                      @Nullable @Size(max = 16) String postalCode,
                      @NotBlank String timeZone,
                      @Nullable @Size(min = 24, max = 200) String webhookSecret) {
    }

    @Get("/program")
    Program getProgram() {
        return program.current();
    }

    @Put("/program")
    @Secured(Roles.ADMIN)
    Program updateProgram(@Valid @Body ProgramForm form) {
        requireZone(form.defaultTimeZone(), "defaultTimeZone");
        Program saved = program.save(new Program(Program.ID, form.name(), form.postalAddress(), form.supportPhone(),
                form.supportEmail(), form.website(), form.defaultTimeZone(), form.defaultLocale(), clock.instant()));
        audit.record("program.update", "program", Program.ID, Map.of());
        return saved;
    }

    @Get("/clinics")
    List<ClinicView> listClinics() {
        return clinics.listOrderByName().stream().map(ClinicView::of).toList();
    }

    @Get("/clinics/{id}")
    ClinicView getClinic(long id) {
        return clinics.findById(id).map(ClinicView::of).orElseThrow(() -> ProblemException.notFound("Clinic", id));
    }

    @Post("/clinics")
    @Secured(Roles.ADMIN)
    @Transactional
    HttpResponse<ClinicView> createClinic(@Valid @Body ClinicForm form) {
        requireZone(form.timeZone(), "timeZone");
        if (clinics.findByCode(form.code()).isPresent()) {
            throw ProblemException.conflict("A clinic with code '" + form.code() + "' exists");
        }
        Clinic saved = clinics.save(new Clinic(null, form.code(), form.name(), form.phone(), form.address(),
                form.postalCode(), form.timeZone(), form.webhookSecret(), null, clock.instant()));
        audit.record("clinic.create", "clinic", saved.id(), Map.of("code", saved.code()));
        return HttpResponse.created(ClinicView.of(saved), URI.create("/api/v1/clinics/" + saved.id()));
    }

    /** Updating the webhook secret keeps the old one valid too, for a rotation without downtime. */
    @Put("/clinics/{id}")
    @Secured(Roles.ADMIN)
    @Transactional
    ClinicView updateClinic(long id, @Valid @Body ClinicForm form) {
        requireZone(form.timeZone(), "timeZone");
        Clinic c = clinics.findById(id).orElseThrow(() -> ProblemException.notFound("Clinic", id));
        boolean rotated = form.webhookSecret() != null && !form.webhookSecret().equals(c.webhookSecret());
        Clinic saved = clinics.update(new Clinic(id, form.code(), form.name(), form.phone(), form.address(),
                form.postalCode(), form.timeZone(), rotated ? form.webhookSecret() : c.webhookSecret(),
                rotated ? c.webhookSecret() : c.webhookSecretPrevious(), c.createdAt()));
        audit.record("clinic.update", "clinic", id, Map.of("secretRotated", rotated));
        return ClinicView.of(saved);
    }

    @Delete("/clinics/{id}")
    @Secured(Roles.ADMIN)
    @Transactional
    HttpResponse<Void> deleteClinic(long id) {
        clinics.findById(id).orElseThrow(() -> ProblemException.notFound("Clinic", id));
        long references = program.clinicReferences(id);
        if (references > 0) {
            throw ProblemException.conflict("The clinic is still referenced by " + references + " contacts or bookings");
        }
        clinics.deleteById(id);
        audit.record("clinic.delete", "clinic", id, Map.of());
        return HttpResponse.noContent();
    }

    private static void requireZone(String zone, String field) {
        if (!Zones.isRegion(zone)) {
            throw ProblemException.invalid(field, Zones.problem(zone));
        }
    }
}
