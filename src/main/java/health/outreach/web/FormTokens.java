package health.outreach.web;

import health.outreach.common.SecretStore;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Protects the public forms (preferences, booking) against cross-site posting: each form carries
 * an HMAC of its purpose and the message token, and a POST is refused when the browser says it came
 * from another site (Sec-Fetch-Site) or names an origin that is neither the public URL's nor the Host
 * it was posted to. One-click unsubscribe is deliberately
 * exempt (RFC 8058 requires it to work without any of this).
 */
@Singleton
public class FormTokens {

    private final SecretStore secrets;
    private final String origin;
    private volatile byte[] key;

    public FormTokens(SecretStore secrets, health.outreach.config.OutreachConfig config) {
        this.secrets = secrets;
        URI base = URI.create(config.baseUrl());
        this.origin = base.getScheme() + "://" + base.getAuthority();
    }

    public String issue(String purpose, String messageToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal((purpose + ":" + messageToken).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean accepts(HttpRequest<?> request, String purpose, String messageToken, String presented) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(site)) {
            return false;
        }
        String from = request.getHeaders().get("Origin");
        if (from != null && !from.equalsIgnoreCase(origin) && !sameHost(from, request)) { // "null" too: sandboxed frames
            return false;
        }
        return presented != null && MessageDigest.isEqual(issue(purpose, messageToken).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The page's own origin when the service is reached under another name than the public URL
     * (a second node's address, a development port): the browser's Origin names the Host it posted to.
     */
    private static boolean sameHost(String from, HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(from);
            return uri.getScheme() != null && uri.getRawAuthority() != null && uri.getRawAuthority().equalsIgnoreCase(host)
                    && (uri.getScheme().equals("http") || uri.getScheme().equals("https"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            k = secrets.getOrCreate("form-signing-key").getBytes(StandardCharsets.UTF_8);
            key = k;
        }
        return k;
    }
}
