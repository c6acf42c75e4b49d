package health.outreach.tracking;

import health.outreach.common.Jdbc;
import health.outreach.support.Api;
import health.outreach.support.MutableClock;
import health.outreach.support.SignedWebhooks;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every signed webhook, found in the router (so a new one cannot be forgotten here), refuses a bad or
 * missing signature the same way: 401 with a problem+json body of type bad-signature.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSignaturesTest implements TestPropertyProvider {

    private static final String EMAIL_SECRET = "whsec_" + Base64.getEncoder().encodeToString("email-webhook-secret".getBytes());
    private static final String CLINIC_SECRET = "whsec_" + Base64.getEncoder().encodeToString("clinic-webhook-secret".getBytes());
    private static final String WRONG_SECRET = "whsec_" + Base64.getEncoder().encodeToString("not-the-secret".getBytes());
    private static final String AUTH_TOKEN = "twilio-test-auth-token";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Router router;

    @Inject
    Jdbc jdbc;

    @Inject
    MutableClock clock;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.tracking.email-webhook-secrets", EMAIL_SECRET, "outreach.sms.twilio.auth-token", AUTH_TOKEN,
                "outreach.public-url", "https://outreach.example.org");
    }

    @BeforeAll
    void aClinicWithASecret() {
        jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, ?, 'America/Chicago', ?, ?)",
                "c-" + UUID.randomUUID().toString().substring(0, 8), "Clinic", CLINIC_SECRET, Instant.now());
    }

    /** A request to the endpoint signed with the wrong key, or carrying no signature when {@code signature} is null. */
    private Map<String, Function<String, MutableHttpRequest<?>>> endpoints() {
        Map<String, Function<String, MutableHttpRequest<?>>> endpoints = new LinkedHashMap<>();
        endpoints.put("/webhooks/email/events", wrongKey -> standard("/webhooks/email/events",
                "{\"type\":\"complaint\",\"messageId\":\"<abc@example.org>\"}", wrongKey));
        endpoints.put("/webhooks/bookings", wrongKey -> standard("/webhooks/bookings",
                "{\"bookingId\":\"b-1\",\"status\":\"BOOKED\",\"contact\":{\"email\":\"a@example.org\"}}", wrongKey));
        endpoints.put("/webhooks/sms/inbound", wrongKey -> twilio("/webhooks/sms/inbound",
                Map.of("MessageSid", "SM1", "From", "+12125550100", "Body", "STOP"), wrongKey));
        endpoints.put("/webhooks/sms/status", wrongKey -> twilio("/webhooks/sms/status",
                Map.of("MessageSid", "SM1", "MessageStatus", "delivered"), wrongKey));
        return endpoints;
    }

    private MutableHttpRequest<?> standard(String path, String body, String key) {
        String id = "msg_" + UUID.randomUUID();
        long now = clock.instant().getEpochSecond();
        return key == null ? SignedWebhooks.unsigned(path, id, now, body) : SignedWebhooks.post(path, key, id, now, body);
    }

    private static MutableHttpRequest<?> twilio(String path, Map<String, String> params, String key) {
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        MutableHttpRequest<String> request = HttpRequest.POST(path, form.toString()).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        return key == null ? request
                : request.header("X-Twilio-Signature", TwilioSignature.sign(key, "https://outreach.example.org" + path, params));
    }

    @Test
    void theRouterHasNoWebhookThisTestDoesNotKnow() {
        TreeSet<String> found = new TreeSet<>();
        router.uriRoutes().forEach(r -> {
            String path = r.getUriMatchTemplate().toPathString();
            if (r.getHttpMethod() == HttpMethod.POST && path.startsWith("/webhooks/")) {
                found.add(path);
            }
        });
        assertEquals(new TreeSet<>(endpoints().keySet()), found, "every signed webhook is checked below");
    }

    @Test
    void aBadOrMissingSignatureIs401ProblemOnEveryWebhook() {
        Api api = new Api(client);
        List<String> answers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        endpoints().forEach((path, request) -> {
            String wrongKey = path.startsWith("/webhooks/sms/") ? "another-auth-token" : WRONG_SECRET;
            for (String key : new String[] {wrongKey, null}) {
                Api.Response r = api.send(request.apply(key));
                String what = path + (key == null ? " unsigned" : " wrongly signed");
                answers.add(what + ": " + r.status() + " " + r.contentType() + " " + r.json().get("type") + " " + r.json().get("status"));
                expected.add(what + ": 401 application/problem+json /problems/bad-signature 401");
            }
        });
        assertEquals(expected, answers);
    }
}
