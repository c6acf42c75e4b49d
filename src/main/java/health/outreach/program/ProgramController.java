package health.outreach.program;

import health.outreach.common.LanguageTags;
import health.outreach.common.Zones;
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
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Clock;
import java.util.List;

/** The program's identity and its clinics. Everyone signed in reads them; administrators change them. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ProgramController {

    private final ProgramService program;
    private final ClinicService clinics;
    private final Clock clock;

    ProgramController(ProgramService program, ClinicService clinics, Clock clock) {
        this.program = program;
        this.clinics = clinics;
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
        ClinicService.Fields fields() {
            return new ClinicService.Fields(code, name, phone, address, postalCode, timeZone, webhookSecret);
        }
    }

    @Serdeable
    record ConversionForm(@Nullable String status) {
    }

    /** What reports count as a conversion: {@code {"status":"BOOKED"}} (the default) or {@code "ATTENDED"}. */
    @Get("/program/conversion")
    ConversionForm conversion() {
        return new ConversionForm(program.conversion());
    }

    @Put("/program/conversion")
    @Secured(Roles.ADMIN)
    ConversionForm setConversion(@Body ConversionForm form) {
        return new ConversionForm(program.conversion(form.status() == null ? "" : form.status()));
    }

    @Get("/program")
    Program getProgram() {
        return program.current();
    }

    @Put("/program")
    @Secured(Roles.ADMIN)
    Program updateProgram(@Valid @Body ProgramForm form) {
        requireZone(form.defaultTimeZone(), "defaultTimeZone");
        String locale = LanguageTags.canonical(form.defaultLocale());
        if (locale == null) {
            throw ProblemException.invalid("defaultLocale", LanguageTags.problem(form.defaultLocale()));
        }
        return program.update(new Program(Program.ID, form.name(), form.postalAddress(), form.supportPhone(),
                form.supportEmail(), form.website(), form.defaultTimeZone(), locale, clock.instant()));
    }

    @Get("/clinics")
    List<ClinicView> listClinics() {
        return clinics.list().stream().map(ClinicView::of).toList();
    }

    @Get("/clinics/{id}")
    ClinicView getClinic(long id) {
        return ClinicView.of(clinics.get(id));
    }

    @Post("/clinics")
    @Secured(Roles.ADMIN)
    HttpResponse<ClinicView> createClinic(@Valid @Body ClinicForm form) {
        Clinic saved = clinics.create(form.fields());
        return HttpResponse.created(ClinicView.of(saved), URI.create("/api/v1/clinics/" + saved.id()));
    }

    @Put("/clinics/{id}")
    @Secured(Roles.ADMIN)
    ClinicView updateClinic(long id, @Valid @Body ClinicForm form) {
        return ClinicView.of(clinics.update(id, form.fields()));
    }

    @Delete("/clinics/{id}")
    @Secured(Roles.ADMIN)
    HttpResponse<Void> deleteClinic(long id) {
        clinics.delete(id);
        return HttpResponse.noContent();
    }

    private static void requireZone(String zone, String field) {
        if (!Zones.isRegion(zone)) {
            throw ProblemException.invalid(field, Zones.problem(zone));
        }
    }
}
