package health.outreach.common;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Standard Webhooks (standardwebhooks.com) signing, shared by the webhooks we receive and the ones we
 * send: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64 part of a
 * "whsec_..." secret, written as "v1,{base64}".
 */
public final class WebhookSignatures {

    public static final String SECRET_PREFIX = "whsec_";

    private WebhookSignatures() {
    }

    public static String sign(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /** A new secret: {@code whsec_} and the base64 of 32 random bytes (the key is the decoded bytes). */
    public static String newSecret() {
        byte[] key = new byte[32];
        RandomTokens.fill(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    private static byte[] key(String secret) {
        String s = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return s.getBytes(StandardCharsets.UTF_8); // a plain secret, used as is
        }
    }
}
