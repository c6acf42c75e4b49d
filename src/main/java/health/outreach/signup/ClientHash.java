package health.outreach.signup;

import health.outreach.common.SecretStore;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The client address as the consent ledger keeps it: an HMAC keyed with a secret of this
 * deployment. A plain SHA-256 of an IPv4 address is undone by hashing all 2^32 of them; this one
 * still shows that two sign-ups came from the same address, to whoever holds the key.
 */
@Singleton
class ClientHash {

    private final SecretStore secrets;
    private volatile byte[] key;

    ClientHash(SecretStore secrets) {
        this.secrets = secrets;
    }

    String of(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(address.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            k = secrets.getOrCreate("signup-client-address-key").getBytes(StandardCharsets.UTF_8);
            key = k;
        }
        return k;
    }
}
