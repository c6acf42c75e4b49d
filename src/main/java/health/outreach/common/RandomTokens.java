package health.outreach.common;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable URL-safe tokens (128 bits by default): nothing about the person is in them. */
public final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    public static String newToken() {
        return newToken(16);
    }

    /** Fills {@code buffer} with random bytes from the same source as the tokens. */
    public static void fill(byte[] buffer) {
        RANDOM.nextBytes(buffer);
    }

    public static String newToken(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return ENCODER.encodeToString(buffer);
    }
}
