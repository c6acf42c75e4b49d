package health.outreach.common;

import jakarta.inject.Singleton;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The opaque tokens that public links and headers carry instead of a message id: one AES block
 * holding the message id, what the token is for, and seven zero bytes, encrypted with a key every
 * node shares (kept in the database). Nothing is stored per message, so a send writes no token and
 * no index entry, and a token resolves by primary key. A forged or altered token decrypts to noise
 * whose zero bytes and purpose byte match with odds of 2^-64; a token for one purpose never passes
 * for another: the Message-ID of an email opens nothing, and the List-Unsubscribe token of its
 * headers only unsubscribes. Tokens are 22 URL-safe characters, like the random ones rows issued
 * before carry.
 */
@Singleton
public class MessageTokens {

    /** What a token may do. The byte is part of the encrypted block. */
    public enum Purpose {
        /** Unsubscribe, preferences, booking and tracked links of one message. */
        ACTION((byte) 1),
        /** The Message-ID of an email: finds the message for a bounce, grants nothing. */
        MESSAGE_ID((byte) 2),
        /**
         * The List-Unsubscribe header (its https URL and its mailto subject): unsubscribes from that
         * message's channel and nothing else. Headers are seen by relays and quoted in replies and
         * forwards, so they never carry the {@link #ACTION} token.
         */
        UNSUBSCRIBE((byte) 3);

        private final byte code;

        Purpose(byte code) {
            this.code = code;
        }
    }

    private static final int CHECK_FROM = 9;
    private final Supplier<SecretKeySpec> keySource;
    private volatile SecretKeySpec key;
    private final ThreadLocal<Cipher[]> ciphers = ThreadLocal.withInitial(() -> new Cipher[2]);

    public MessageTokens(SecretStore secrets) {
        this.keySource = () -> key(secrets.getOrCreate("message-token-key")); // read when first needed, not at startup
    }

    /** For pure tests: a codec on a fixed secret. */
    public static MessageTokens withSecret(String secret) {
        return new MessageTokens(key(secret));
    }

    private MessageTokens(SecretKeySpec fixed) {
        this.keySource = () -> fixed;
    }

    public String encode(long messageId, Purpose purpose) {
        if (messageId <= 0) {
            throw new IllegalArgumentException("message ids are positive: " + messageId);
        }
        byte[] block = ByteBuffer.allocate(16).putLong(messageId).put(purpose.code).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cipher(Cipher.ENCRYPT_MODE).update(block));
    }

    /** The message id a token of this purpose names; empty for anything else. */
    public OptionalLong decode(String token, Purpose purpose) {
        if (token == null || token.length() != 22) {
            return OptionalLong.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        if (raw.length != 16) {
            return OptionalLong.empty();
        }
        byte[] block = cipher(Cipher.DECRYPT_MODE).update(raw);
        byte check = (byte) (block[8] ^ purpose.code);
        for (int i = CHECK_FROM; i < 16; i++) {
            check |= block[i];
        }
        long id = ByteBuffer.wrap(block).getLong();
        return check == 0 && id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
    }

    private Cipher cipher(int mode) {
        Cipher[] pair = ciphers.get();
        int slot = mode == Cipher.ENCRYPT_MODE ? 0 : 1;
        if (pair[slot] == null) {
            try {
                Cipher c = Cipher.getInstance("AES/ECB/NoPadding"); // one block: ECB is exactly a keyed permutation
                c.init(mode, key());
                pair[slot] = c;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES is required by every JVM", e);
            }
        }
        return pair[slot];
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            k = keySource.get();
            key = k;
        }
        return k;
    }

    private static SecretKeySpec key(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("message-tokens:" + secret).getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(digest, 0, 16, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
