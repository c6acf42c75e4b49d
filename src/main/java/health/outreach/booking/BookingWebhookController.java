package health.outreach.booking;

import health.outreach.common.ProblemException;
import health.outreach.common.Problem;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicRepository;
import health.outreach.tracking.StandardWebhooks;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /webhooks/bookings}: clinic scheduling systems report bookings, signed with Standard
 * Webhooks using their clinic's secret (the previous secret still works during a rotation; the
 * secret that verifies names the clinic). A replayed webhook-id changes nothing. JSON:
 * {@code {"bookingId","status","appointmentAt","contact":{"token"|"email"|"phone"}}}, or an HL7 FHIR
 * R4 Appointment ({@link FhirAppointments} refuses one that is not valid R4).
 * <p>
 * Errors are problem+json, as everywhere in the API, except for FHIR clients: a request that sends
 * {@code application/fhir+json} (and does not ask for problem+json) or accepts it gets every refusal
 * (signature, validation, no matching contact) as an OperationOutcome, which is what FHIR clients
 * read; both carry the same findings.
 */
@Controller("/webhooks/bookings")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class BookingWebhookController {

    @Serdeable
    record ContactRef(@Nullable String token, @Nullable String email, @Nullable String phone) {
    }

    @Serdeable
    record BookingEvent(@Nullable String bookingId, @Nullable String status, @Nullable Instant appointmentAt,
                        @Nullable ContactRef contact) {
    }

    private final ClinicRepository clinics;
    private final BookingService bookings;
    private final FhirAppointments fhir;
    private final ObjectMapper json;
    private final Clock clock;

    BookingWebhookController(ClinicRepository clinics, BookingService bookings, FhirAppointments fhir,
                             ObjectMapper json, Clock clock) {
        this.clinics = clinics;
        this.bookings = bookings;
        this.fhir = fhir;
        this.json = json;
        this.clock = clock;
    }

    @Post(consumes = {MediaType.APPLICATION_JSON, FhirAppointments.MEDIA_TYPE},
            produces = {MediaType.APPLICATION_JSON, FhirAppointments.MEDIA_TYPE, Problem.MEDIA_TYPE})
    HttpResponse<?> receive(HttpRequest<?> request, @Body String body,
                            @Nullable @Header("webhook-id") String id,
                            @Nullable @Header("webhook-timestamp") String timestamp,
                            @Nullable @Header("webhook-signature") String signature) {
        try {
            return handle(request, body, id, timestamp, signature);
        } catch (ProblemException e) {
            if (!answersFhir(request)) {
                throw e;
            }
            List<FhirAppointments.Issue> issues = e instanceof FhirAppointments.Invalid invalid ? invalid.issues() : issues(e);
            return HttpResponse.status(e.status()).body(fhir.outcome(issues)).contentType(FhirAppointments.MEDIA_TYPE);
        }
    }

    private HttpResponse<?> handle(HttpRequest<?> request, String body, String id, String timestamp, String signature) {
        Instant now = clock.instant();
        Clinic clinic = null;
        StandardWebhooks.Verdict verdict = StandardWebhooks.Verdict.BAD_SIGNATURE;
        for (Clinic c : clinics.findAll()) {
            List<String> secrets = new ArrayList<>();
            secrets.add(c.webhookSecret());
            secrets.add(c.webhookSecretPrevious());
            verdict = StandardWebhooks.verify(secrets, id, timestamp, signature, body, now);
            if (verdict == StandardWebhooks.Verdict.VALID) {
                clinic = c;
                break;
            }
            if (verdict == StandardWebhooks.Verdict.STALE || verdict == StandardWebhooks.Verdict.MISSING_HEADERS) {
                break; // the same for every clinic
            }
        }
        if (clinic == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "bad-signature",
                    "Webhook rejected: " + verdict.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        boolean isFhir = sendsFhir(request) || body.contains("\"resourceType\"");
        BookingIntake intake = isFhir ? fhir.toIntake(body, clinic.id(), now) : parse(body, clinic.id(), now);
        if (intake.externalId() == null || intake.externalId().isBlank()) {
            throw ProblemException.invalid("bookingId", "the clinic's booking id is required");
        }
        long clinicId = clinic.id();
        Object result = bookings.recordOnce("bookings:" + clinicId, id, intake).<Object>map(r -> r)
                .orElse(Map.of("duplicate", true));
        return HttpResponse.ok(result).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static boolean sendsFhir(HttpRequest<?> request) {
        return request.getContentType().map(t -> t.getName().equalsIgnoreCase(FhirAppointments.MEDIA_TYPE)).orElse(false);
    }

    /** FHIR's content negotiation: what the client accepts, else the format it sent. */
    private static boolean answersFhir(HttpRequest<?> request) {
        java.util.Collection<MediaType> accepted = request.accept();
        if (accepted.stream().anyMatch(t -> t.getName().equalsIgnoreCase(FhirAppointments.MEDIA_TYPE))) {
            return true;
        }
        return sendsFhir(request) && accepted.stream().noneMatch(t -> t.getName().equalsIgnoreCase(Problem.MEDIA_TYPE));
    }

    /** Any other refusal as OperationOutcome issues, each problem's field named as it is. */
    private static List<FhirAppointments.Issue> issues(ProblemException e) {
        String code = switch (e.status()) {
            case UNAUTHORIZED, FORBIDDEN -> "security";
            case NOT_FOUND -> "not-found";
            case CONFLICT -> "conflict";
            case UNPROCESSABLE_ENTITY -> "business-rule";
            default -> "invalid";
        };
        if (e.errors().isEmpty()) {
            return List.of(new FhirAppointments.Issue(code, e.getMessage(), null));
        }
        return e.errors().stream().map(f -> new FhirAppointments.Issue(code, f.message(),
                f.field() != null && f.field().startsWith("Appointment") ? f.field() : null)).toList();
    }

    private BookingIntake parse(String body, long clinicId, Instant now) {
        BookingEvent e;
        try {
            e = json.readValue(body, Argument.of(BookingEvent.class));
        } catch (IOException | RuntimeException ex) {
            throw ProblemException.badRequest("malformed-booking", "The body is not a booking event", List.of());
        }
        ContactRef c = e.contact() == null ? new ContactRef(null, null, null) : e.contact();
        String status = e.status() == null ? "BOOKED" : e.status().toUpperCase(Locale.ROOT);
        return new BookingIntake(clinicId, "WEBHOOK", e.bookingId(), status, e.appointmentAt(), null, null, c.token(),
                c.email(), c.phone(), now);
    }
}
