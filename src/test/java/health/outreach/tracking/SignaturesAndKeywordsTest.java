package health.outreach.tracking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignaturesAndKeywordsTest {

    @Test
    void twilioSignatureMatchesTheirDocumentedExample() {
        // From Twilio's security documentation: this URL, these parameters, token 12345.
        Map<String, String> params = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030", "Digits", "1234",
                "From", "+12349013030", "To", "+18005551212");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertEquals("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioSignature.sign("12345", url, params));
        assertTrue(TwilioSignature.valid("12345", url, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        assertFalse(TwilioSignature.valid("12345", url, Map.of("Digits", "1234"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        assertFalse(TwilioSignature.valid("12345", url, params, null));
        assertFalse(TwilioSignature.valid("", url, params, "x"));
    }

    @Test
    void standardWebhooksMatchTheSpecExampleAndRefuseStaleOrTampered() {
        // The example in the Standard Webhooks specification.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        String body = "{\"test\": 2432232314}";
        long ts = 1614265330;
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", StandardWebhooks.sign(secret, id, ts, body));
        Instant now = Instant.ofEpochSecond(ts + 60);
        String sig = StandardWebhooks.sign(secret, id, ts, body);
        assertEquals(StandardWebhooks.Verdict.VALID, StandardWebhooks.verify(List.of(secret), id, "" + ts, sig, body, now));
        assertEquals(StandardWebhooks.Verdict.VALID, StandardWebhooks.verify(List.of("whsec_bmV3LXNlY3JldA==", secret), id, "" + ts,
                "v1,bogus " + sig, body, now), "the previous secret during a rotation, among several signatures");
        assertEquals(StandardWebhooks.Verdict.BAD_SIGNATURE, StandardWebhooks.verify(List.of(secret), id, "" + ts, sig, body + " ", now));
        assertEquals(StandardWebhooks.Verdict.STALE, StandardWebhooks.verify(List.of(secret), id, "" + ts, sig, body,
                Instant.ofEpochSecond(ts + 360)), "six minutes late");
        assertEquals(StandardWebhooks.Verdict.STALE, StandardWebhooks.verify(List.of(secret), id, "" + ts, sig, body,
                Instant.ofEpochSecond(ts - 360)), "six minutes early");
        assertEquals(StandardWebhooks.Verdict.MISSING_HEADERS, StandardWebhooks.verify(List.of(secret), null, "" + ts, sig, body, now));
    }

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", " Stop. ", "STOPALL", "Unsubscribe", "CANCEL", "end", "QUIT", "REVOKE", "opt out",
            "OPT-OUT", "please stop texting me", "Stop sending me these messages!", "no more messages", "Don't text me again",
            "para de enviarme", "No más mensajes, gracias", "ya no quiero mensajes", "deje de mandarme textos", "BAJA"})
    void optOutsInEveryFormAreRecognised(String text) {
        assertEquals(SmsKeywords.Intent.OPT_OUT, SmsKeywords.classify(text));
    }

    @Test
    void startHelpAndRepliesAreTellApart() {
        for (String s : List.of("START", "unstop", "Yes", "SÍ")) {
            assertEquals(SmsKeywords.Intent.OPT_IN, SmsKeywords.classify(s), s);
        }
        for (String s : List.of("HELP", "info", "Ayuda")) {
            assertEquals(SmsKeywords.Intent.HELP, SmsKeywords.classify(s), s);
        }
        for (String s : List.of("Thanks!", "What time is the clinic open?", "I booked already", "Can I bring my daughter?",
                "Quiero cancelar mi cita del martes", "Can you take me on Tuesday?", "Tengo cita para el lunes, gracias por el mensaje",
                "I can't stop the pain, got your message", "I don't have my message anymore", "Ya no quiero ir a la cita")) {
            assertEquals(SmsKeywords.Intent.REPLY, SmsKeywords.classify(s), s);
        }
    }

    @Test
    void linkScannersAreNotClicks() {
        assertTrue(LinkScanners.isScanner("HEAD", "Mozilla/5.0"));
        assertTrue(LinkScanners.isScanner("GET", "Mozilla/5.0 (compatible; Barracuda Sentinel)"));
        assertTrue(LinkScanners.isScanner("GET", null));
        assertFalse(LinkScanners.isScanner("GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"));
    }
}
