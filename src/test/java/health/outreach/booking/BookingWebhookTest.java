package health.outreach.booking;

import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.SignedWebhooks;
import health.outreach.support.TestUsers;
import health.outreach.tracking.StandardWebhooks;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clinic scheduling systems calling {@code POST /webhooks/bookings}, signed per clinic (Standard Webhooks). */
@MicronautTest(transactional = false)
class BookingWebhookTest {

    @Inject
    DeliveryFixture fixture;

    @Inject
    Jdbc jdbc;

    @Inject
    TestUsers users;

    @Inject
    @Client("/")
    HttpClient client;

    private static String secret() {
        return "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
    }

    private long clinic(String secret) {
        return jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, ?, 'America/Chicago', ?, ?)",
                "c-" + UUID.randomUUID().toString().substring(0, 8), "Clinic", secret, Instant.now());
    }

    private String person(String tag) {
        String email = tag + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
        fixture.contact(tag, email, null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        return email;
    }

    private static String event(String bookingId, String status, String email) {
        return "{\"bookingId\":\"" + bookingId + "\",\"status\":\"" + status + "\",\"appointmentAt\":\"2026-07-01T15:00:00Z\","
                + "\"contact\":{\"email\":\"" + email + "\"}}";
    }

    private Api.Response send(String secret, String id, Instant at, String body) {
        return send(id, at, body, StandardWebhooks.sign(secret, id, at.getEpochSecond(), body), "application/json");
    }

    private Api.Response send(String id, Instant at, String body, String signature, String contentType) {
        return new Api(client).send(SignedWebhooks.unsigned("/webhooks/bookings", id, at.getEpochSecond(), body)
                .contentType(contentType).header("webhook-signature", signature));
    }

    private long bookings(String email) {
        return fixture.count("SELECT COUNT(*) FROM booking b JOIN contact c ON c.id = b.contact_id WHERE c.email = ?", email);
    }

    @Test
    void validTamperedAndStale() {
        String secret = secret();
        clinic(secret);
        String email = person("hook-valid");
        Instant now = fixture.clock().instant();
        String body = event("B-1", "BOOKED", email);
        String signature = StandardWebhooks.sign(secret, "msg_1", now.getEpochSecond(), body);

        Api.Response tampered = send("msg_1", now, body.replace("B-1", "B-2"), signature, "application/json");
        assertEquals(401, tampered.status());
        assertTrue(tampered.contentType().startsWith("application/problem+json"));
        assertEquals(401, send("msg_1", now, body, "v1,AAAA" + signature.substring(7), "application/json").status());
        assertEquals(401, send("msg_1", now, body, "", "application/json").status());
        assertEquals(401, send(secret(), "msg_1", now, body).status(), "another clinic's key");
        Instant stale = now.minus(Duration.ofMinutes(6));
        assertEquals(401, send(secret, "msg_stale", stale, body).status());
        Instant future = now.plus(Duration.ofMinutes(6));
        assertEquals(401, send(secret, "msg_future", future, body).status());
        assertEquals(0, bookings(email));

        Api.Response ok = send("msg_1", now, body, signature, "application/json");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(1, bookings(email));
        assertEquals("UNATTRIBUTED", ok.json().get("attribution"), "no campaign ever reached this person");
    }

    @Test
    void replayedAThousandTimesMakesExactlyOneBooking() throws Exception {
        String secret = secret();
        clinic(secret);
        String email = person("hook-replay");
        Instant now = fixture.clock().instant();
        String body = event("B-replay", "BOOKED", email);
        String signature = StandardWebhooks.sign(secret, "msg_replay", now.getEpochSecond(), body);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            statuses.add(pool.submit(() -> send("msg_replay", now, body, signature, "application/json").status()));
        }
        int ok = 0;
        for (Future<Integer> status : statuses) {
            ok += status.get() == 200 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1000, ok, "a replay is acknowledged, so the sender stops retrying");
        assertEquals(1, bookings(email));
        // The same booking under new webhook ids (the clinic resends it) is still one booking.
        for (int i = 0; i < 5; i++) {
            assertEquals(200, send(secret, "msg_resend_" + i, now, body).status());
        }
        assertEquals(1, bookings(email));
    }

    @Test
    void bothSecretsWorkDuringARotation() {
        String old = secret();
        long clinic = clinic(old);
        String fresh = secret();
        String admin = users.token(new Api(client), Role.ADMIN);
        Api.Response rotated = new Api(client).put("/api/v1/clinics/" + clinic, Map.of("code", "rotating-" + clinic, "name", "Clinic",
                "timeZone", "America/Chicago", "webhookSecret", fresh), admin);
        assertEquals(200, rotated.status(), rotated.body());
        assertTrue(!rotated.body().contains(fresh) && !rotated.body().contains(old), "secrets never appear in responses");

        Instant now = fixture.clock().instant();
        String email = person("hook-rotate");
        assertEquals(200, send(old, "msg_old", now, event("R-1", "BOOKED", email)).status());
        assertEquals(200, send(fresh, "msg_new", now, event("R-2", "BOOKED", email)).status());
        assertEquals(2, bookings(email));

        // A second rotation retires the first secret.
        new Api(client).put("/api/v1/clinics/" + clinic, Map.of("code", "rotating-" + clinic, "name", "Clinic",
                "timeZone", "America/Chicago", "webhookSecret", secret()), admin);
        assertEquals(401, send(old, "msg_retired", now, event("R-3", "BOOKED", email)).status());
        assertEquals(200, send(fresh, "msg_previous", now, event("R-4", "BOOKED", email)).status());
    }

    @Test
    void statusMovesForwardAndFhirAppointmentsAreAccepted() {
        String secret = secret();
        clinic(secret);
        String email = person("hook-fhir");
        Instant now = fixture.clock().instant();
        assertEquals(200, send(secret, "f1", now, event("F-1", "REQUESTED", email)).status());
        assertEquals(200, send(secret, "f2", now, event("F-1", "BOOKED", email)).status());
        assertEquals(200, send(secret, "f3", now, event("F-1", "REQUESTED", email)).status());
        assertEquals("BOOKED", jdbc.queryOne("SELECT status FROM booking WHERE external_id = 'F-1'", rs -> rs.getString(1)).orElseThrow());

        String fhir = """
                {"resourceType":"Appointment","id":"appt-77","status":"booked","start":"2026-07-02T14:00:00Z",
                 "contained":[{"resourceType":"Patient","id":"p1","telecom":[{"system":"email","value":"%s"}]}],
                 "participant":[{"actor":{"reference":"#p1"},"status":"accepted"}]}""".formatted(email);
        Api.Response r = send("fhir-1", now, fhir, StandardWebhooks.sign(secret, "fhir-1", now.getEpochSecond(), fhir), "application/fhir+json");
        assertEquals(200, r.status(), r.body());
        assertEquals("FHIR", jdbc.queryOne("SELECT source FROM booking WHERE external_id = 'appt-77'", rs -> rs.getString(1)).orElseThrow());
        assertEquals(2, bookings(email));
    }

    @Test
    void badBodiesAreClearProblemsAndWriteNothing() {
        String secret = secret();
        clinic(secret);
        Instant now = fixture.clock().instant();
        long before = fixture.count("SELECT COUNT(*) FROM booking");
        for (String body : List.of("not json", "{\"status\":\"BOOKED\",\"contact\":{\"email\":\"x@example.org\"}}",
                event("U-1", "BOOKED", "nobody-" + UUID.randomUUID() + "@example.org"), event("U-2", "MAYBE", person("hook-bad")),
                "{\"resourceType\":\"Appointment\",\"status\":\"booked\"")) {
            Api.Response r = send(secret, "bad-" + UUID.randomUUID(), now, body);
            assertTrue(r.status() == 400 || r.status() == 422, body + " -> " + r.status() + " " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), body);
        }
        assertEquals(before, fixture.count("SELECT COUNT(*) FROM booking"));
    }
}
