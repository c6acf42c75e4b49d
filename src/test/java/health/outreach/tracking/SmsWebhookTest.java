package health.outreach.tracking;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Twilio's inbound and status webhooks, signed the way Twilio signs them, and tampered with. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmsWebhookTest implements TestPropertyProvider {

    private static final String AUTH_TOKEN = "twilio-test-auth-token";
    private static final String PUBLIC_URL = "https://outreach.example.org";

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("outreach.sms.twilio.auth-token", AUTH_TOKEN, "outreach.public-url", PUBLIC_URL);
    }

    private int counter;

    private String newPhone() {
        return DeliveryFixture.phoneFor("sms-webhook", counter++);
    }

    private long contact(String phone, ConsentState sms) {
        return fixture.contact("smshook", null, phone, "America/New_York", ConsentState.NONE, sms);
    }

    private Map<String, String> inbound(String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        params.put("AccountSid", "AC123");
        params.put("From", from);
        params.put("To", "+15005550006");
        params.put("Body", body);
        params.put("NumMedia", "0");
        return params;
    }

    private Api.Response post(String path, Map<String, String> params, String signature) {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.POST(path, form).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return new Api(client).send(request);
    }

    private Api.Response signedPost(String path, Map<String, String> params) {
        return post(path, params, TwilioSignature.sign(AUTH_TOKEN, PUBLIC_URL + path, params));
    }

    private String smsConsent(long contact) {
        return jdbc.queryOne("SELECT sms_consent FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }

    private List<String> textsTo(String phone) {
        fixture.drain(dispatcher);
        return jdbc.query("SELECT text_body FROM captured_message WHERE recipient = ? ORDER BY id", rs -> rs.getString(1), phone);
    }

    @Test
    void everyStopWordAndPlainLanguageRevocationOptsOutWithOneConfirmation() {
        fixture.daytime();
        for (String word : List.of("STOP", "stop", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT",
                "Please stop texting me", "no more messages", "Para de enviarme", "no más mensajes")) {
            String phone = newPhone();
            long contact = contact(phone, ConsentState.OPTED_IN);
            Map<String, String> params = inbound(phone, word);
            Api.Response r = signedPost("/webhooks/sms/inbound", params);
            assertEquals(200, r.status(), word);
            assertEquals("OPTED_OUT", smsConsent(contact), word);
            String evidence = jdbc.queryOne("SELECT evidence FROM consent_event WHERE contact_id = ? AND action = 'OPT_OUT'",
                    rs -> rs.getString(1), contact).orElseThrow();
            assertTrue(evidence.contains(word) && evidence.contains(params.get("MessageSid")), evidence);

            // The same webhook again (Twilio retries) and a second STOP: still one confirmation.
            signedPost("/webhooks/sms/inbound", params);
            signedPost("/webhooks/sms/inbound", inbound(phone, "STOP"));
            List<String> texts = textsTo(phone);
            assertEquals(1, texts.size(), word + ": " + texts);
            assertTrue(texts.get(0).contains("unsubscribed"), texts.get(0));
            assertEquals(1, fixture.count("SELECT COUNT(*) FROM consent_event WHERE contact_id = ?", contact), word);
        }
    }

    /** The wordings a security review found left people opted in: each now opts out, with one confirmation. */
    @Test
    void plainRevocationsThatUsedToBeMissedOptOut() {
        fixture.daytime();
        for (String text : List.of("Ya no quiero recibir más mensajes", "No quiero recibir más mensajes", "Stop please",
                "I do not want these texts anymore")) {
            String phone = newPhone();
            long contact = contact(phone, ConsentState.OPTED_IN);
            assertEquals(200, signedPost("/webhooks/sms/inbound", inbound(phone, text)).status(), text);
            assertEquals("OPTED_OUT", smsConsent(contact), text);
            List<String> texts = textsTo(phone);
            assertEquals(1, texts.size(), text + ": " + texts);
            assertTrue(texts.get(0).contains("unsubscribed"), texts.get(0));
        }
    }

    @Test
    void aTextAboutStoppingThatIsNotAnOptOutIsAnsweredOnceWithHowToStop() {
        fixture.daytime();
        String program = jdbc.queryOne("SELECT name FROM program", rs -> rs.getString(1)).orElseThrow();
        String tag = "clarify-" + UUID.randomUUID().toString().substring(0, 8);
        String phone = newPhone();
        long contact = fixture.contact(tag, null, phone, "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);

        assertEquals(200, signedPost("/webhooks/sms/inbound", inbound(phone, "why do I get these")).status());
        assertEquals("OPTED_IN", smsConsent(contact), "a question is not a revocation");
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM consent_event WHERE contact_id = ?", contact));
        assertEquals(List.of(program + ": Reply STOP to stop receiving messages from " + program + "."), textsTo(phone));

        // Another question before we have texted them anything else is kept, not answered again.
        signedPost("/webhooks/sms/inbound", inbound(phone, "Who is this?"));
        assertEquals(1, textsTo(phone).size());
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM event WHERE contact_id = ? AND event_type = 'REPLIED'", contact));

        // After a campaign text, a new question earns a new answer.
        long template = fixture.smsTemplate("Hi ${contact.firstName}, spine tips inside.");
        fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.SMS, template));
        assertEquals(2, textsTo(phone).size());
        signedPost("/webhooks/sms/inbound", inbound(phone, "stop what?"));
        List<String> texts = textsTo(phone);
        assertEquals(3, texts.size(), texts.toString());
        assertTrue(texts.get(2).contains("Reply STOP"), texts.get(2));

        // And when they do reply STOP, they are out.
        signedPost("/webhooks/sms/inbound", inbound(phone, "STOP"));
        assertEquals("OPTED_OUT", smsConsent(contact));
        assertTrue(textsTo(phone).get(3).contains("unsubscribed"));
    }

    @Test
    void howToStopIsInThePersonsLanguageAndNotSentToSomeoneAlreadyOut() {
        fixture.daytime();
        String program = jdbc.queryOne("SELECT name FROM program", rs -> rs.getString(1)).orElseThrow();
        String spanish = newPhone();
        long contact = contact(spanish, ConsentState.OPTED_IN);
        jdbc.update("UPDATE contact SET locale = 'es-MX' WHERE id = ?", contact);
        signedPost("/webhooks/sms/inbound", inbound(spanish, "¿Por qué me llegan estos mensajes?"));
        assertEquals("OPTED_IN", smsConsent(contact));
        assertEquals(List.of(program + ": Responda STOP para dejar de recibir mensajes de " + program + "."), textsTo(spanish));

        String out = newPhone();
        long optedOut = contact(out, ConsentState.OPTED_OUT);
        signedPost("/webhooks/sms/inbound", inbound(out, "why do I get these"));
        assertEquals("OPTED_OUT", smsConsent(optedOut));
        assertEquals(List.of(), textsTo(out));
    }

    @Test
    void startWordsOptBackIn() {
        fixture.daytime();
        for (String word : List.of("START", "UNSTOP", "yes")) {
            String phone = newPhone();
            long contact = contact(phone, ConsentState.OPTED_OUT);
            assertEquals(200, signedPost("/webhooks/sms/inbound", inbound(phone, word)).status());
            assertEquals("OPTED_IN", smsConsent(contact), word);
            List<String> texts = textsTo(phone);
            assertEquals(1, texts.size(), word);
            assertTrue(texts.get(0).contains("STOP"), "the confirmation says how to stop: " + texts.get(0));
        }
    }

    @Test
    void helpWordsAnswerWithProgramFrequencyRatesAndSupport() {
        fixture.daytime();
        for (String word : List.of("HELP", "info", "AYUDA")) {
            String phone = newPhone();
            long contact = contact(phone, ConsentState.OPTED_IN);
            signedPost("/webhooks/sms/inbound", inbound(phone, word));
            assertEquals("OPTED_IN", smsConsent(contact), word);
            List<String> texts = textsTo(phone);
            assertEquals(1, texts.size(), word);
            String help = texts.get(0);
            assertTrue(help.contains("Msg & data rates may apply") && help.contains("msgs/mo"), help);
            String program = jdbc.queryOne("SELECT name FROM program", rs -> rs.getString(1)).orElseThrow();
            assertTrue(help.startsWith(program), help);
        }
    }

    @Test
    void anythingElseIsKeptAsAReply() {
        String phone = newPhone();
        long contact = contact(phone, ConsentState.OPTED_IN);
        signedPost("/webhooks/sms/inbound", inbound(phone, "Is the clinic open on Saturday?"));
        assertEquals("OPTED_IN", smsConsent(contact));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM event WHERE contact_id = ? AND event_type = 'REPLIED'", contact));
        assertEquals(0, textsTo(phone).size());
    }

    @Test
    void badSignaturesAre401AndChangeNothing() {
        String phone = newPhone();
        long contact = contact(phone, ConsentState.OPTED_IN);
        Map<String, String> params = inbound(phone, "STOP");
        String signature = TwilioSignature.sign(AUTH_TOKEN, PUBLIC_URL + "/webhooks/sms/inbound", params);

        Map<String, String> tampered = new LinkedHashMap<>(params);
        tampered.put("From", newPhone());
        assertEquals(401, post("/webhooks/sms/inbound", tampered, signature).status());
        Map<String, String> extra = new LinkedHashMap<>(params);
        extra.put("Injected", "1");
        assertEquals(401, post("/webhooks/sms/inbound", extra, signature).status());
        String wrongUrl = TwilioSignature.sign(AUTH_TOKEN, "https://attacker.example/webhooks/sms/inbound", params);
        assertEquals(401, post("/webhooks/sms/inbound", params, wrongUrl).status());
        String wrongKey = TwilioSignature.sign("another-token", PUBLIC_URL + "/webhooks/sms/inbound", params);
        assertEquals(401, post("/webhooks/sms/inbound", params, wrongKey).status());
        Api.Response missing = post("/webhooks/sms/inbound", params, null);
        assertEquals(401, missing.status());
        assertTrue(missing.contentType().startsWith("application/problem+json"), missing.contentType());
        assertEquals(401, post("/webhooks/sms/status", params, null).status());

        assertEquals("OPTED_IN", smsConsent(contact));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM consent_event WHERE contact_id = ?", contact));
        assertEquals(200, post("/webhooks/sms/inbound", params, signature).status(), "the untouched request is accepted");
        assertEquals("OPTED_OUT", smsConsent(contact));
    }

    /** Twilio may sign our URL with the default port written out; its own validators accept that, and so do we. */
    @Test
    void aRequestSignedForTheUrlWithTheDefaultPortIsAccepted() {
        fixture.daytime();
        String phone = newPhone();
        long contact = contact(phone, ConsentState.OPTED_IN);
        Map<String, String> params = inbound(phone, "STOP");
        String withPort = TwilioSignature.sign(AUTH_TOKEN, "https://outreach.example.org:443/webhooks/sms/inbound", params);
        assertEquals(200, post("/webhooks/sms/inbound", params, withPort).status());
        assertEquals("OPTED_OUT", smsConsent(contact));

        Map<String, String> status = Map.of("MessageSid", "SMnotours", "MessageStatus", "delivered");
        assertEquals(204, post("/webhooks/sms/status", status,
                TwilioSignature.sign(AUTH_TOKEN, "https://outreach.example.org:443/webhooks/sms/status", status)).status());
        assertEquals(401, post("/webhooks/sms/status", status,
                TwilioSignature.sign(AUTH_TOKEN, "https://outreach.example.org:8443/webhooks/sms/status", status)).status(),
                "another port is another URL");
    }

    @Test
    void statusCallbacksOnlyMoveForwardAndCarrierOptOutsSuppress() {
        fixture.daytime();
        List<Long> ids = fixture.contacts("smsstatus", 2, "America/New_York");
        long template = fixture.smsTemplate("Hi ${contact.firstName}, spine tips inside.");
        long campaign = fixture.launch(fixture.segment("smsstatus"), 0, DeliveryFixture.now(Channel.SMS, template));
        fixture.drain(dispatcher);
        List<Long> messages = jdbc.query("SELECT id FROM message WHERE campaign_id = ? ORDER BY id", rs -> rs.getLong(1), campaign);
        assertEquals(2, messages.size());
        jdbc.update("UPDATE message SET provider_id = 'SMdelivered' WHERE id = ?", messages.get(0));
        jdbc.update("UPDATE message SET provider_id = 'SMblocked' WHERE id = ?", messages.get(1));

        assertEquals(204, signedPost("/webhooks/sms/status", Map.of("MessageSid", "SMdelivered", "MessageStatus", "delivered")).status());
        signedPost("/webhooks/sms/status", Map.of("MessageSid", "SMdelivered", "MessageStatus", "delivered"));
        signedPost("/webhooks/sms/status", Map.of("MessageSid", "SMdelivered", "MessageStatus", "sent"));
        assertEquals("DELIVERED", status(messages.get(0)));
        assertEquals(1, fixture.count("SELECT SUM(delivered) FROM report_counter WHERE campaign_id = ?", campaign));

        signedPost("/webhooks/sms/status", Map.of("MessageSid", "SMblocked", "MessageStatus", "undelivered", "ErrorCode", "21610"));
        assertEquals("BOUNCED", status(messages.get(1)));
        String phone = jdbc.queryOne("SELECT phone FROM contact WHERE id = ?", rs -> rs.getString(1), ids.get(1)).orElseThrow();
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM suppression WHERE channel = 'SMS' AND address_hash = ?",
                health.outreach.contact.ContactStore.hash(phone)));
    }

    private String status(long message) {
        return jdbc.queryOne("SELECT status FROM message WHERE id = ?", rs -> rs.getString(1), message).orElseThrow();
    }
}
