package health.outreach.booking;

import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.SignedWebhooks;
import health.outreach.tracking.StandardWebhooks;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FHIR R4 Appointments from clinic systems are checked before anything is recorded: the resource
 * type, the elements R4 requires (status, participant, each participant's status), their codes, and
 * no element R4 does not define. A FHIR client gets its errors as an OperationOutcome; a plain JSON
 * client gets the same findings as problem+json.
 */
@MicronautTest(transactional = false)
class FhirAppointmentValidationTest {

    private static final String FHIR = "application/fhir+json";

    @Inject
    DeliveryFixture fixture;

    @Inject
    @Client("/")
    HttpClient client;

    private final String secret = "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());

    private String email;

    @Inject
    Jdbc jdbc;

    /** A clinic signing with {@link #secret} and one contact it may book. */
    private void clinicAndPerson() {
        jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, ?, 'America/Chicago', ?, ?)",
                "f-" + UUID.randomUUID().toString().substring(0, 8), "FHIR clinic", secret, Instant.now());
        email = "fhir-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        fixture.contact("fhir-valid", email, null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
    }

    private String patient() {
        return "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p1\",\"telecom\":[{\"system\":\"email\",\"value\":\"" + email + "\"}]}]";
    }

    private Api.Response send(String body, String contentType, String accept) {
        String id = "fhir-" + UUID.randomUUID();
        long at = fixture.clock().instant().getEpochSecond();
        var request = SignedWebhooks.post("/webhooks/bookings", secret, id, at, body).contentType(contentType);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return new Api(client).send(request);
    }

    private long bookings() {
        return fixture.count("SELECT COUNT(*) FROM booking b JOIN contact c ON c.id = b.contact_id WHERE c.email = ?", email);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> issues(Api.Response r) {
        assertTrue(r.contentType().startsWith(FHIR), r.contentType() + ": " + r.body());
        Map<String, Object> outcome = r.json();
        assertEquals("OperationOutcome", outcome.get("resourceType"), r.body());
        List<Map<String, Object>> issues = (List<Map<String, Object>>) outcome.get("issue");
        for (Map<String, Object> issue : issues) {
            assertEquals("error", issue.get("severity"), r.body());
            assertTrue(issue.get("code") instanceof String, r.body());
            assertTrue(issue.get("diagnostics") instanceof String d && !d.isBlank(), r.body());
        }
        return issues;
    }

    /** The issue whose expression is {@code expression}: its code. */
    private static String codeAt(List<Map<String, Object>> issues, String expression) {
        return issues.stream().filter(i -> i.get("expression") instanceof List<?> e && e.contains(expression))
                .map(i -> (String) i.get("code")).findFirst()
                .orElseThrow(() -> new AssertionError("no issue at " + expression + ": " + issues));
    }

    @Test
    void anAppointmentWithoutStatusOrParticipantIsRefusedNotBooked() {
        clinicAndPerson();
        String body = "{\"resourceType\":\"Appointment\",\"id\":\"appt-bare\",\"start\":\"2026-07-02T14:00:00Z\"," + patient() + "}";

        Api.Response r = send(body, FHIR, null);
        assertEquals(400, r.status(), r.body());
        List<Map<String, Object>> issues = issues(r);
        assertEquals("required", codeAt(issues, "Appointment.status"));
        assertEquals("required", codeAt(issues, "Appointment.participant"));
        assertEquals(0, bookings(), "nothing is recorded, least of all a BOOKED the clinic never said");

        // The same body as plain JSON: the product's problem+json, naming the same elements.
        Api.Response plain = send(body, "application/json", null);
        assertEquals(400, plain.status(), plain.body());
        assertTrue(plain.contentType().startsWith("application/problem+json"), plain.contentType());
        assertTrue(plain.body().contains("\"field\":\"Appointment.status\""), plain.body());
        assertTrue(plain.body().contains("\"field\":\"Appointment.participant\""), plain.body());
        assertEquals(0, bookings());
    }

    @Test
    void unknownElementsWrongCodesAndOtherResourcesAreRefused() {
        clinicAndPerson();
        String participant = "\"participant\":[{\"actor\":{\"reference\":\"#p1\"},\"status\":\"accepted\"}]";
        String unknown = "{\"resourceType\":\"Appointment\",\"id\":\"appt-x\",\"status\":\"booked\",\"start\":\"2026-07-02T14:00:00Z\","
                + "\"bookedBy\":\"front desk\"," + patient() + "," + participant + "}";
        Api.Response r = send(unknown, FHIR, null);
        assertEquals(400, r.status(), r.body());
        assertEquals("structure", codeAt(issues(r), "Appointment.bookedBy"));
        assertTrue(r.body().contains("bookedBy"), r.body());

        String nested = unknown.replace("\"bookedBy\":\"front desk\",", "").replace("\"status\":\"accepted\"", "\"status\":\"accepted\",\"seat\":4");
        assertEquals("structure", codeAt(issues(send(nested, FHIR, null)), "Appointment.participant[0].seat"));

        String inPatient = unknown.replace("\"bookedBy\":\"front desk\",", "").replace("\"id\":\"p1\",", "\"id\":\"p1\",\"vip\":true,");
        assertEquals("structure", codeAt(issues(send(inPatient, FHIR, null)), "Appointment.contained[0].vip"));

        String listForOne = unknown.replace("\"bookedBy\":\"front desk\"", "\"comment\":[\"call first\"]");
        assertEquals("structure", codeAt(issues(send(listForOne, FHIR, null)), "Appointment.comment"));

        String badStatus = unknown.replace("\"bookedBy\":\"front desk\",", "").replace("\"status\":\"booked\"", "\"status\":\"maybe\"");
        Api.Response wrongCode = send(badStatus, FHIR, null);
        assertEquals(400, wrongCode.status(), wrongCode.body());
        assertEquals("code-invalid", codeAt(issues(wrongCode), "Appointment.status"));
        assertTrue(wrongCode.body().contains("maybe"), wrongCode.body());

        String noParticipantStatus = unknown.replace("\"bookedBy\":\"front desk\",", "").replace(",\"status\":\"accepted\"", "");
        assertEquals("required", codeAt(issues(send(noParticipantStatus, FHIR, null)), "Appointment.participant[0].status"));

        String notAnAppointment = "{\"resourceType\":\"Patient\",\"id\":\"p9\"}";
        Api.Response other = send(notAnAppointment, FHIR, null);
        assertEquals(400, other.status(), other.body());
        assertEquals("invalid", codeAt(issues(other), "resourceType"));

        Api.Response broken = send("{\"resourceType\":\"Appointment\",\"status\":\"booked\"", FHIR, null);
        assertEquals(400, broken.status(), broken.body());
        issues(broken);
        assertEquals(0, bookings());

        // Asked for problem+json, a FHIR body's errors come as the product's problems.
        Api.Response asProblem = send(unknown, FHIR, "application/problem+json");
        assertEquals(400, asProblem.status());
        assertTrue(asProblem.contentType().startsWith("application/problem+json"), asProblem.contentType());
    }

    @Test
    void aValidAppointmentIsRecordedAndOtherRefusalsAreOperationOutcomesToo() {
        clinicAndPerson();
        String valid = """
                {"resourceType":"Appointment","id":"appt-ok","status":"pending","start":"2026-07-02T14:00:00Z",
                 "meta":{"lastUpdated":"2026-06-15T16:00:00Z"},"extension":[{"url":"urn:clinic:room","valueString":"2B"}],
                 "_status":{"extension":[{"url":"urn:clinic:note","valueString":"waiting for a callback"}]},
                 %s,
                 "participant":[{"actor":{"reference":"#p1"},"status":"accepted"}]}""".formatted(patient());
        Api.Response ok = send(valid, FHIR, null);
        assertEquals(200, ok.status(), ok.body());
        assertEquals("REQUESTED", ok.json().get("status"), "pending maps to REQUESTED");
        assertEquals(1, bookings());

        // No contact matches: still refused in the client's own format.
        String stranger = valid.replace(email, "nobody-" + UUID.randomUUID() + "@example.org").replace("appt-ok", "appt-stranger");
        Api.Response unknownPerson = send(stranger, FHIR, null);
        assertEquals(422, unknownPerson.status(), unknownPerson.body());
        Map<String, Object> noMatch = issues(unknownPerson).get(0);
        assertEquals("business-rule", noMatch.get("code"));
        assertTrue(noMatch.get("diagnostics").toString().contains("no contact matches"), unknownPerson.body());

        // A bad signature, too.
        Api.Response unsigned = new Api(client).send(SignedWebhooks.unsigned("/webhooks/bookings", "fhir-unsigned",
                fixture.clock().instant().getEpochSecond(), valid).contentType(FHIR).header("webhook-signature",
                StandardWebhooks.sign("whsec_" + Base64.getEncoder().encodeToString("other".getBytes()), "fhir-unsigned",
                        fixture.clock().instant().getEpochSecond(), valid)));
        assertEquals(401, unsigned.status(), unsigned.body());
        assertEquals("security", issues(unsigned).get(0).get("code"));
        assertEquals(1, bookings());
    }
}
