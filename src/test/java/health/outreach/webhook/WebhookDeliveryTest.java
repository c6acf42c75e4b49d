package health.outreach.webhook;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.MutableClock;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import health.outreach.support.WebhookReceiver;
import health.outreach.support.WebhookReceiver.Answer;
import health.outreach.tracking.TwilioSignature;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outgoing webhooks end to end: a change commits, the node's sender (running as in production) signs
 * and posts it to a real HTTP server, which checks the signature with its own implementation. Time
 * moves only on the test clock; every wait has a deadline.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest implements TestPropertyProvider {

    private static final String AUTH_TOKEN = "twilio-test-auth-token";
    private static final String PUBLIC_URL = "https://outreach.example.org";
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final WebhookReceiver receiver = newReceiver();

    @Inject
    DeliveryFixture fixture;
    @Inject
    ConsentLedger ledger;
    @Inject
    Jdbc jdbc;
    @Inject
    TestUsers users;
    @Inject
    MutableClock clock;
    @Inject
    TransactionOperations<Connection> transactions;
    @Inject
    @Client("/")
    HttpClient client;

    private int counter;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.webhooks.enabled", "true", "outreach.webhooks.poll-interval", "PT0.05S",
                "outreach.webhooks.read-timeout", "PT3S", "outreach.webhooks.connect-timeout", "PT2S",
                "outreach.sms.twilio.auth-token", AUTH_TOKEN, "outreach.public-url", PUBLIC_URL);
    }

    @AfterEach
    void disableEndpoints() {
        jdbc.update("UPDATE webhook_endpoint SET enabled = FALSE");
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    private Api api() {
        return new Api(client);
    }

    private String admin() {
        return users.token(api(), Role.ADMIN);
    }

    private long contact() {
        int n = counter++;
        return fixture.contact("webhooks", "webhook" + n + "@example.org", DeliveryFixture.phoneFor("webhooks", n),
                "America/New_York", ConsentState.OPTED_IN, ConsentState.OPTED_IN);
    }

    private String phoneOf(long contactId) {
        return jdbc.queryOne("SELECT phone FROM contact WHERE id = ?", rs -> rs.getString(1), contactId).orElseThrow();
    }

    private Api.Response smsReply(String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + java.util.UUID.randomUUID().toString().replace("-", ""));
        params.put("From", from);
        params.put("To", "+15005550006");
        params.put("Body", body);
        String form = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return api().send(HttpRequest.POST("/webhooks/sms/inbound", form).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .header("X-Twilio-Signature", TwilioSignature.sign(AUTH_TOKEN, PUBLIC_URL + "/webhooks/sms/inbound", params)));
    }

    private List<WebhookReceiver.Received> awaitAt(String path, int count) {
        await().atMost(DEADLINE).until(() -> receiver.at(path).size() >= count);
        return receiver.at(path);
    }

    @Test
    void anSmsStopReachesTheEndpointAsOneSignedOptOut() {
        var endpoint = WebhookTestSupport.register(api(), admin(), receiver.url("/stop"), "contact.opted_out");
        long contact = contact();

        assertEquals(200, smsReply(phoneOf(contact), "STOP").status());
        WebhookReceiver.Received got = awaitAt("/stop", 1).get(0);

        assertEquals(1, WebhookReceiver.validSignatures(got, endpoint.secret()).size(), got.signature());
        assertTrue(Math.abs(Long.parseLong(got.timestamp()) - clock.instant().getEpochSecond()) <= 300, got.timestamp());
        Map<String, Object> body = Api.JsonBodies.map(got.body());
        assertEquals("contact.opted_out", body.get("type"));
        assertEquals(1, ((Number) body.get("sequence")).intValue());
        Map<String, Object> data = data(got);
        assertEquals(java.util.Set.of("contactId", "externalId", "channel"), data.keySet(), "ids only: " + data);
        assertEquals(contact, ((Number) data.get("contactId")).longValue());
        assertEquals("SMS", data.get("channel"));
        assertFalse(got.body().contains(phoneOf(contact)), "no address in the payload: " + got.body());

        // A second STOP changes nothing, so it announces nothing.
        smsReply(phoneOf(contact), "STOP");
        assertEquals(1L, jdbc.queryLong("SELECT COUNT(*) FROM webhook_event WHERE order_key = ?", "contact:" + contact));
        await().atMost(DEADLINE).until(() -> jdbc.queryLong("SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = ? "
                + "AND status = 'SUCCEEDED'", endpoint.id()) == 1);
        assertEquals(1, receiver.at("/stop").size());
    }

    @Test
    void aChangeThatRollsBackAnnouncesNothing() {
        WebhookTestSupport.register(api(), admin(), receiver.url("/rollback"), "contact.opted_out");
        long rolledBack = contact();
        long committed = contact();
        try {
            transactions.executeWrite(status -> {
                WebhookTestSupport.optOut(ledger, rolledBack, clock.instant());
                throw new IllegalStateException("the change fails after the opt-out was written");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        WebhookTestSupport.optOut(ledger, committed, clock.instant());

        List<WebhookReceiver.Received> got = awaitAt("/rollback", 1);
        assertEquals(committed, ((Number) data(got.get(0)).get("contactId")).longValue());
        assertEquals("OPTED_IN", jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), rolledBack)
                .orElseThrow(), "the opt-out itself rolled back");
        assertEquals(0L, jdbc.queryLong("SELECT COUNT(*) FROM webhook_event WHERE order_key = ?", "contact:" + rolledBack));
        assertEquals(1, receiver.at("/rollback").size());
    }

    @Test
    void aReceiverFailingForAWhileGetsEveryEventOnceItRecovers() {
        receiver.answer("/flaky", n -> n < 6 ? Answer.status(500) : Answer.ok());
        var endpoint = WebhookTestSupport.register(api(), admin(), receiver.url("/flaky"), "contact.opted_out");
        List<Long> contacts = List.of(contact(), contact(), contact());
        Instant start = clock.instant();
        contacts.forEach(c -> WebhookTestSupport.optOut(ledger, c, start));

        awaitAt("/flaky", 3);
        await().atMost(DEADLINE).until(() -> attempts(endpoint.id()) == 3);
        // Each failed once; the next try is the base backoff (30 s ± 20%) away, and the clock has not moved.
        for (Instant due : jdbc.query("SELECT due_at FROM webhook_delivery WHERE endpoint_id = ?", rs -> Jdbc.instant(rs, "due_at"),
                endpoint.id())) {
            long seconds = Duration.between(start, due).toSeconds();
            assertTrue(seconds >= 23 && seconds <= 37, "due " + seconds + " s later");
        }
        assertEquals(3, receiver.at("/flaky").size());

        clock.advance(Duration.ofSeconds(40));
        await().atMost(DEADLINE).until(() -> attempts(endpoint.id()) == 6);
        clock.advance(Duration.ofSeconds(80)); // the second backoff: 60 s ± 20%
        await().atMost(DEADLINE).until(() -> jdbc.queryLong("SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = ? "
                + "AND status = 'SUCCEEDED'", endpoint.id()) == 3);

        List<WebhookReceiver.Received> all = receiver.at("/flaky");
        List<String> accepted = all.subList(6, all.size()).stream().map(WebhookReceiver.Received::id).toList();
        assertEquals(3, accepted.size(), "one success per event");
        assertEquals(3, accepted.stream().distinct().count());
        assertEquals(all.subList(0, 3).stream().map(WebhookReceiver.Received::id).sorted().toList(), accepted.stream().sorted().toList(),
                "retries carry the webhook-id of the first attempt");
        all.forEach(r -> assertEquals(1, WebhookReceiver.validSignatures(r, endpoint.secret()).size()));
    }

    @Test
    void anEndpointFailingForADayIsDisabledWithANoticeAndItsEventsCanBeReplayed() {
        // The clock has nanoseconds and the databases keep microseconds, rounding: at 999 ns into a microsecond an
        // instant written as is would be stored later than it is, so the day would not be over by the clock.
        clock.advance(Duration.ofNanos(999 - clock.instant().getNano() % 1000));
        receiver.answer("/down", n -> n < 1000 ? Answer.status(503) : Answer.ok());
        var endpoint = WebhookTestSupport.register(api(), admin(), receiver.url("/down"), "contact.opted_out");
        WebhookTestSupport.optOut(ledger, contact(), clock.instant());
        Instant first = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as the database keeps it

        int expected = 1;
        while (enabled(endpoint.id())) {
            int n = expected;
            await().atMost(DEADLINE).until(() -> attempts(endpoint.id()) >= n);
            clock.advance(Duration.ofHours(3)); // longer than the longest backoff: one more attempt per step
            expected++;
            assertTrue(expected < 20, "the endpoint should have been disabled by now");
        }
        Instant lastAttempt = jdbc.queryOne("SELECT MAX(attempted_at) FROM webhook_attempt WHERE endpoint_id = ?",
                rs -> rs.getTimestamp(1).toInstant(), endpoint.id()).orElseThrow();
        assertTrue(Duration.between(first, lastAttempt).compareTo(Duration.ofHours(24)) >= 0, "retried for a day: " + lastAttempt);
        assertEquals("FAILED", jdbc.queryOne("SELECT status FROM webhook_delivery WHERE endpoint_id = ?", rs -> rs.getString(1),
                endpoint.id()).orElseThrow());

        PageSession page = PageSession.signedIn(client, "admin", "admin-test-password");
        Api.Response shown = page.get("/admin/webhooks/" + endpoint.id());
        assertEquals(200, shown.status());
        assertTrue(shown.body().contains("disabled by the service"), shown.body());
        assertTrue(shown.body().contains("HTTP 503"), "the reason names the last error");

        // Fixed, enabled again, and the event replayed: the same webhook-id and body once more.
        receiver.answer("/down", n -> Answer.ok());
        assertEquals(303, page.post("/admin/webhooks/" + endpoint.id(), Map.of("url", receiver.url("/down"),
                "eventTypes", "contact.opted_out", "enabled", "yes")).status());
        long delivery = jdbc.queryLong("SELECT id FROM webhook_delivery WHERE endpoint_id = ?", endpoint.id());
        int before = receiver.at("/down").size();
        page.get("/admin/webhooks/" + endpoint.id());
        assertEquals(303, page.post("/admin/webhooks/" + endpoint.id() + "/deliveries/" + delivery + "/replay", Map.of()).status());
        List<WebhookReceiver.Received> got = awaitAt("/down", before + 1);
        WebhookReceiver.Received replayed = got.get(got.size() - 1);
        assertEquals(got.get(0).id(), replayed.id());
        assertEquals(got.get(0).body(), replayed.body());
        assertEquals(1, WebhookReceiver.validSignatures(replayed, endpoint.secret()).size());
        assertTrue(page.get("/admin/webhooks/" + endpoint.id()).body().contains(replayed.id()), "the log lists the delivery");
    }

    @Test
    void duringARotationEveryWebhookCarriesTwoValidSignatures() {
        var endpoint = WebhookTestSupport.register(api(), admin(), receiver.url("/rotate"), "contact.opted_out");
        Api.Response rotated = api().post("/api/v1/webhook-endpoints/" + endpoint.id() + "/rotate-secret", Map.of(), admin());
        assertEquals(200, rotated.status(), rotated.body());
        String next = (String) rotated.json().get("secret");
        assertTrue(next.startsWith("whsec_") && !next.equals(endpoint.secret()));

        WebhookTestSupport.optOut(ledger, contact(), clock.instant());
        WebhookReceiver.Received during = awaitAt("/rotate", 1).get(0);
        assertEquals(2, during.signature().split(" ").length, during.signature());
        List<String> byNew = WebhookReceiver.validSignatures(during, next);
        List<String> byOld = WebhookReceiver.validSignatures(during, endpoint.secret());
        assertEquals(1, byNew.size());
        assertEquals(1, byOld.size());
        assertNotEquals(byNew, byOld);

        clock.advance(Duration.ofHours(25)); // past the overlap: the old secret no longer signs
        WebhookTestSupport.optOut(ledger, contact(), clock.instant());
        WebhookReceiver.Received after = awaitAt("/rotate", 2).get(1);
        assertEquals(List.of(after.signature()), WebhookReceiver.validSignatures(after, next));
        assertEquals(List.of(), WebhookReceiver.validSignatures(after, endpoint.secret()));
    }

    @Test
    void aRedirectIsNotFollowed() {
        receiver.answer("/moved", n -> new Answer(302, "", Map.of("Location", receiver.url("/elsewhere")), false));
        var endpoint = WebhookTestSupport.register(api(), admin(), receiver.url("/moved"), "contact.opted_out");
        WebhookTestSupport.optOut(ledger, contact(), clock.instant());

        awaitAt("/moved", 1);
        await().atMost(DEADLINE).until(() -> attempts(endpoint.id()) == 1);
        assertEquals(List.of(), receiver.at("/elsewhere"));
        String error = jdbc.queryOne("SELECT error FROM webhook_attempt WHERE endpoint_id = ?", rs -> rs.getString(1), endpoint.id())
                .orElseThrow();
        assertTrue(error.startsWith("redirect not followed"), error);
        assertEquals("PENDING", jdbc.queryOne("SELECT status FROM webhook_delivery WHERE endpoint_id = ?", rs -> rs.getString(1),
                endpoint.id()).orElseThrow(), "a redirect is a failure to retry");
    }

    @Test
    void anEndlessResponseIsReadOnlyUpToTheExcerpt() {
        receiver.answer("/endless", n -> new Answer(200, "x".repeat(8192), Map.of(), true));
        var endpoint = WebhookTestSupport.register(api(), admin(), receiver.url("/endless"), "contact.opted_out");
        WebhookTestSupport.optOut(ledger, contact(), clock.instant());

        await().atMost(DEADLINE).until(() -> attempts(endpoint.id()) == 1);
        var attempt = jdbc.queryOne("SELECT succeeded, response_excerpt, latency_ms FROM webhook_attempt WHERE endpoint_id = ?",
                rs -> List.of(rs.getBoolean(1), rs.getString(2), rs.getLong(3)), endpoint.id()).orElseThrow();
        assertEquals(true, attempt.get(0), "the body never ends, yet the attempt completed");
        assertEquals(1024, ((String) attempt.get(1)).length());
        assertTrue((Long) attempt.get(2) < 3000, "well within the read timeout: " + attempt.get(2));
    }

    private long attempts(long endpointId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM webhook_attempt WHERE endpoint_id = ?", endpointId);
    }

    private boolean enabled(long endpointId) {
        return jdbc.queryOne("SELECT enabled FROM webhook_endpoint WHERE id = ?", rs -> rs.getBoolean(1), endpointId).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(WebhookReceiver.Received r) {
        return (Map<String, Object>) Api.JsonBodies.map(r.body()).get("data");
    }

    private static WebhookReceiver newReceiver() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
