package health.outreach.tracking;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks (standardwebhooks.com): HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}"
 * keyed with the base64 part of a "whsec_..." secret; webhook-signature holds space-separated
 * "v1,{base64}" entries (several during a rotation). A timestamp more than the tolerance away from
 * now, in either direction, is refused (replay). Pure: the clock is passed in.
 */
public final class StandardWebhooks {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    public enum Verdict { VALID, MISSING_HEADERS, STALE, BAD_SIGNATURE }

    private StandardWebhooks() {
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

    /** Checks against each secret (current first, then the previous one during a rotation). */
    public static Verdict verify(List<String> secrets, String id, String timestamp, String signatures, String body, Instant now) {
        if (id == null || id.isBlank() || timestamp == null || signatures == null || signatures.isBlank()) {
            return Verdict.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Verdict.MISSING_HEADERS;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Verdict.STALE;
        }
        for (String secret : secrets) {
            if (secret == null || secret.isBlank()) {
                continue;
            }
            byte[] expected = sign(secret, id, seconds, body).getBytes(StandardCharsets.UTF_8);
            for (String candidate : signatures.strip().split("\\s+")) {
                if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                    return Verdict.VALID;
                }
            }
        }
        return Verdict.BAD_SIGNATURE;
    }

    private static byte[] key(String secret) {
        String s = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return s.getBytes(StandardCharsets.UTF_8); // a plain secret, used as is
        }
    }
}
