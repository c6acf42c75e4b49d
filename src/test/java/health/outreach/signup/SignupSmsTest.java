package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
import health.outreach.tracking.TwilioSignature;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opt-in by text: a form's SMS request to confirm (at allowed hours only), YES through Twilio's
 * signed webhook, a keyword from a new number, and STOP before YES.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignupSmsTest implements TestPropertyProvider {

    private static final String AUTH_TOKEN = "twilio-signup-auth-token";
    private static final String PUBLIC_URL = "https://outreach.example.org";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Inject
    DeliveryFixture fixture;
    @Inject
    Dispatcher dispatcher;
    @Inject
    Jdbc jdbc;
    @Inject
    TestUsers users;
    @Inject
    SignupSweep sweep;
    @Inject
    @Client("/")
    HttpClient client;

    private String key;
    private String keyword;
    private long campaign;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.sms.twilio.auth-token", AUTH_TOKEN, "outreach.public-url", PUBLIC_URL,
                "outreach.security.trusted-proxies", "127.0.0.1/32,::1/128");
    }

    @BeforeEach
    void form() {
        fixture.daytime();
        Api api = new Api(client);
        String tag = "SS" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.SMS,
                fixture.smsTemplate("${program.name}: welcome. Reply STOP to opt out.")));
        key = "text-" + tag.toLowerCase();
        keyword = "J" + tag.substring(2);
        Api.Response created = api.post("/api/v1/forms", SignupTestSupport.formBody(key, campaign, Map.of(keyword, "es")),
                users.token(api, Role.COORDINATOR));
        assertEquals(201, created.status(), created.body());
    }

    private String phone() {
        return DeliveryFixture.phoneFor("signup-sms", COUNTER.getAndIncrement());
    }

    private Api.Response text(String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        params.put("From", from);
        params.put("To", "+15005550006");
        params.put("Body", body);
        String form = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return new Api(client).send(HttpRequest.POST("/webhooks/sms/inbound", form)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .header("X-Twilio-Signature", TwilioSignature.sign(AUTH_TOKEN, PUBLIC_URL + "/webhooks/sms/inbound", params)));
    }

    private List<String> textsTo(String phone) {
        fixture.drain(dispatcher);
        return jdbc.query("SELECT text_body FROM captured_message WHERE recipient = ? ORDER BY id", rs -> rs.getString(1), phone);
    }

    private String smsConsent(String phone) {
        return jdbc.queryOne("SELECT sms_consent FROM contact WHERE phone = ?", rs -> rs.getString(1), phone).orElse("none");
    }

    private List<String> actions(String phone) {
        return jdbc.query("SELECT e.action FROM consent_event e JOIN contact c ON c.id = e.contact_id WHERE c.phone = ? "
                + "AND e.channel = 'SMS' ORDER BY e.id", rs -> rs.getString(1), phone);
    }

    @Test
    void aFormsTextAsksForYesAndYesConfirmsAndEnrolls() {
        String phone = phone();
        SignupTestSupport.Visitor visitor = new SignupTestSupport.Visitor(new Api(client), "203.0.113." + COUNTER.incrementAndGet());
        assertEquals(200, visitor.signUp(key, Map.of("phone", phone.substring(2), "channel.SMS", "yes")).status());
        assertEquals("PENDING", smsConsent(phone));
        List<String> texts = textsTo(phone);
        assertEquals(1, texts.size(), texts.toString());
        String ask = texts.get(0);
        for (String must : List.of("Reply YES", "Up to 4 msgs/mo", "Msg & data rates may apply", "HELP", "STOP")) {
            assertTrue(ask.contains(must), must + " in: " + ask);
        }

        assertEquals(200, text(phone, "Yes").status());
        assertEquals("OPTED_IN", smsConsent(phone));
        assertEquals(List.of("PENDING", "CONFIRM"), actions(phone));
        assertEquals("Text me spine tips (" + key + "), up to 4 msgs/mo. Msg & data rates may apply. Reply STOP to cancel.",
                jdbc.queryOne("SELECT e.wording FROM consent_event e JOIN contact c ON c.id = e.contact_id WHERE c.phone = ? "
                        + "AND e.action = 'CONFIRM'", rs -> rs.getString(1), phone).orElseThrow());
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM enrollment e JOIN contact c ON c.id = e.contact_id "
                + "WHERE c.phone = ? AND e.campaign_id = ?", phone, campaign));
        List<String> after = textsTo(phone);
        assertEquals(3, after.size(), "the opt-in confirmation and the welcome text: " + after);
        assertTrue(after.stream().anyMatch(t -> t.contains("welcome")), after.toString());
    }

    @Test
    void aFormsTextWaitsForDaytimeInThePersonsZone() {
        fixture.clock().set(Instant.parse("2026-06-15T06:00:00Z")); // 02:00 in New York
        String phone = phone();
        new SignupTestSupport.Visitor(new Api(client), "203.0.113." + COUNTER.incrementAndGet())
                .signUp(key, Map.of("phone", phone, "channel.SMS", "yes"));
        assertEquals(List.of(), textsTo(phone), "someone typed this number into a form: not at night");
        fixture.daytime();
        assertEquals(1, textsTo(phone).size());
    }

    @Test
    void aKeywordFromANewNumberStartsTheOptInInItsLanguage() {
        String phone = phone();
        assertEquals(200, text(phone, " " + keyword.toLowerCase() + "! ").status());
        assertEquals("PENDING", smsConsent(phone));
        assertEquals("es", jdbc.queryOne("SELECT locale FROM contact WHERE phone = ?", rs -> rs.getString(1), phone).orElseThrow());
        List<String> texts = textsTo(phone);
        assertEquals(1, texts.size());
        assertTrue(texts.get(0).contains("Responda YES"), texts.get(0));

        // The keyword again: no second request to confirm.
        text(phone, keyword);
        assertEquals(1, textsTo(phone).size());
        text(phone, "SI");
        assertEquals("OPTED_IN", smsConsent(phone));
    }

    @Test
    void stopBeforeYesOptsOutAndNothingElseIsSent() {
        String phone = phone();
        text(phone, keyword);
        assertEquals(1, textsTo(phone).size());
        text(phone, "STOP");
        assertEquals("OPTED_OUT", smsConsent(phone));
        assertEquals(2, textsTo(phone).size(), "the one STOP confirmation");

        fixture.clock().advance(Duration.ofDays(3));
        sweep.sweep();
        assertEquals(2, textsTo(phone).size(), "no reminder after STOP");
        text(phone, "Hello?");
        assertEquals("OPTED_OUT", smsConsent(phone));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM enrollment e JOIN contact c ON c.id = e.contact_id WHERE c.phone = ?", phone));
    }
}
