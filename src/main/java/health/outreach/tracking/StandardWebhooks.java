package health.outreach.tracking;

import health.outreach.common.WebhookSignatures;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Checking Standard Webhooks signatures (computed by {@link WebhookSignatures}, which our outgoing
 * webhooks sign with too): webhook-signature holds space-separated "v1,{base64}" entries (several
 * during a rotation). A timestamp more than the tolerance away from
 * now, in either direction, is refused (replay). Pure: the clock is passed in.
 */
public final class StandardWebhooks {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    public enum Verdict { VALID, MISSING_HEADERS, STALE, BAD_SIGNATURE }

    private StandardWebhooks() {
    }

    public static String sign(String secret, String id, long timestamp, String body) {
        return WebhookSignatures.sign(secret, id, timestamp, body);
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
}
