package health.outreach.web;

import health.outreach.config.OutreachConfig;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headers every response carries, errors and static files included (this filter wraps all others):
 * {@code nosniff}; HSTS when the public URL is https; {@code Cache-Control: no-store} on the API, the
 * sign-in endpoint, the admin pages and anything answered to a signed-in user, which is where personal
 * data and tokens travel. The API documentation gets the admin pages' framing rules and a policy that
 * allows only its own scripts (the page's one inline script by its hash) and requests to this origin.
 */
@ServerFilter("/**")
class ResponseHeaders implements Ordered {

    static final String HSTS = "max-age=31536000; includeSubDomains";
    private static final String SWAGGER_UI_PAGE = "META-INF/swagger/views/swagger-ui/index.html";
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    private final boolean https;
    private final String swaggerUiPolicy;

    ResponseHeaders(OutreachConfig config) {
        this.https = config.publicUrl().strip().toLowerCase(Locale.ROOT).startsWith("https://");
        this.swaggerUiPolicy = "default-src 'none'; script-src 'self'" + inlineScriptHashes() + "; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    @ResponseFilter
    void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        MutableHttpHeaders headers = response.getHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        if (https) {
            headers.set("Strict-Transport-Security", HSTS);
        }
        String path = request.getPath();
        if (path.startsWith("/api/") || path.equals("/login") || AdminPages.isPage(path)
                || request.getUserPrincipal(Principal.class).isPresent()) {
            headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        if (path.startsWith("/swagger")) {
            headers.set("Content-Security-Policy", path.startsWith("/swagger-ui") ? swaggerUiPolicy
                    : "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
        }
    }

    /** Wraps the security filter, so its 401 and 403 get these headers too. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    /**
     * The hashes of the Swagger UI page's inline scripts, as a browser computes them (over the script's
     * text with line breaks as LF); none when the page is not built in.
     */
    private static String inlineScriptHashes() {
        try (InputStream in = ResponseHeaders.class.getClassLoader().getResourceAsStream(SWAGGER_UI_PAGE)) {
            if (in == null) {
                return "";
            }
            String page = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
            StringBuilder hashes = new StringBuilder();
            Matcher m = INLINE_SCRIPT.matcher(page);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            while (m.find()) {
                hashes.append(" 'sha256-").append(Base64.getEncoder().encodeToString(
                        sha256.digest(m.group(1).getBytes(StandardCharsets.UTF_8)))).append('\'');
            }
            return hashes.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
