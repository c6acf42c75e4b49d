package health.outreach.tracking;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * X-Twilio-Signature over the forms of a URL Twilio may sign: with and without the default port.
 * The signatures here are computed independently, the way Twilio's helper libraries compute them.
 */
class TwilioSignatureTest {

    private static final String TOKEN = "twilio-auth-token";
    private static final Map<String, String> PARAMS = Map.of("MessageSid", "SM0123456789abcdef0123456789abcdef",
            "AccountSid", "AC123", "From", "+12125550100", "To", "+15005550006", "Body", "Stop please", "NumMedia", "0");

    /** Base64 of HMAC-SHA1 (key: the auth token) over the URL followed by each parameter name and value, sorted by name. */
    private static String twilio(String url, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        List<String> names = new ArrayList<>(params.keySet());
        Collections.sort(names);
        for (String name : names) {
            data.append(name).append(params.get(name));
        }
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignatureOverTheUrlWithTheDefaultPortIsValidForTheUrlWithout() throws Exception {
        String configured = "https://host.example.org/webhooks/sms/inbound";
        assertTrue(TwilioSignature.valid(TOKEN, configured, PARAMS, twilio(configured, PARAMS)));
        assertTrue(TwilioSignature.valid(TOKEN, configured, PARAMS, twilio("https://host.example.org:443/webhooks/sms/inbound", PARAMS)));
        assertTrue(TwilioSignature.valid(TOKEN, "http://host.example.org/status?x=1", PARAMS,
                twilio("http://host.example.org:80/status?x=1", PARAMS)));
    }

    @Test
    void aSignatureOverTheUrlWithoutThePortIsValidForTheUrlWithIt() throws Exception {
        String configured = "https://host.example.org:443/webhooks/sms/inbound";
        assertTrue(TwilioSignature.valid(TOKEN, configured, PARAMS, twilio("https://host.example.org/webhooks/sms/inbound", PARAMS)));
        assertTrue(TwilioSignature.valid(TOKEN, configured, PARAMS, twilio(configured, PARAMS)));
        // Twilio's documented example, validated against its URL with the port written out.
        Map<String, String> documented = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+12349013030", "Digits", "1234",
                "From", "+12349013030", "To", "+18005551212");
        assertTrue(TwilioSignature.valid("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", documented,
                "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    @Test
    void onlyThePortMayDiffer() throws Exception {
        String configured = "https://host.example.org/webhooks/sms/inbound";
        for (String other : List.of("https://host.example.org:8443/webhooks/sms/inbound", "http://host.example.org/webhooks/sms/inbound",
                "https://host.example.org:80/webhooks/sms/inbound", "https://other.example.org/webhooks/sms/inbound",
                "https://other.example.org:443/webhooks/sms/inbound", "https://host.example.org/webhooks/sms/status",
                "https://host.example.org:443/webhooks/sms/inbound?x=1")) {
            assertFalse(TwilioSignature.valid(TOKEN, configured, PARAMS, twilio(other, PARAMS)), other);
        }
        Map<String, String> tampered = new java.util.HashMap<>(PARAMS);
        tampered.put("Body", "Thanks");
        assertFalse(TwilioSignature.valid(TOKEN, configured, tampered, twilio("https://host.example.org:443/webhooks/sms/inbound", PARAMS)));
    }

    @Test
    void theFormsChangeOnlyThePort() {
        assertEquals(List.of("https://h.example/p?q=1", "https://h.example:443/p?q=1"), TwilioSignature.forms("https://h.example/p?q=1"));
        assertEquals(List.of("https://h.example:443/p", "https://h.example/p"), TwilioSignature.forms("https://h.example:443/p"));
        assertEquals(List.of("http://h.example:8080/p", "http://h.example/p"), TwilioSignature.forms("http://h.example:8080/p"));
        assertEquals(List.of("http://h.example/p", "http://h.example:80/p"), TwilioSignature.forms("http://h.example/p"));
        assertEquals(List.of("not a url"), TwilioSignature.forms("not a url"));
    }
}
