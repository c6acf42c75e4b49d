package health.outreach.tracking;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 * called followed by every POST parameter name and value, sorted by name. Twilio signs the URL
 * sometimes with the scheme's default port and sometimes without ("https://host:443/..." or
 * "https://host/..."), and its own validators accept either, so a signature over our URL with the
 * port added or removed is as valid as one over the URL as configured. Pure.
 */
public final class TwilioSignature {

    private TwilioSignature() {
    }

    public static String sign(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required by every JVM", e);
        }
    }

    /**
     * Checks every form of the URL ({@link #forms}), each with a constant-time comparison and without
     * stopping at the first match; false for a missing signature or an empty token.
     */
    public static boolean valid(String authToken, String url, Map<String, String> params, String signature) {
        if (signature == null || signature.isBlank() || authToken == null || authToken.isBlank()) {
            return false;
        }
        byte[] given = signature.strip().getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (String form : forms(url)) {
            valid |= MessageDigest.isEqual(sign(authToken, form, params).getBytes(StandardCharsets.UTF_8), given);
        }
        return valid;
    }

    /**
     * The URL as given, and the same URL with its port removed (when it names one) or with the
     * scheme's default port added (when it names none): "https://host/x" and "https://host:443/x".
     * Only the port changes, never the scheme, host, path or query.
     */
    static List<String> forms(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return List.of(url);
        }
        String authority = uri.getRawAuthority();
        int start = url.indexOf("://") + 3;
        if (uri.getScheme() == null || uri.getHost() == null || authority == null || start < 3
                || !url.startsWith(authority, start)) {
            return List.of(url);
        }
        String before = url.substring(0, start);
        String after = url.substring(start + authority.length());
        if (uri.getPort() != -1) {
            String withoutPort = authority.substring(0, authority.length() - (":" + uri.getPort()).length());
            return List.of(url, before + withoutPort + after);
        }
        int defaultPort = switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
        return defaultPort == -1 ? List.of(url) : List.of(url, before + authority + ":" + defaultPort + after);
    }
}
