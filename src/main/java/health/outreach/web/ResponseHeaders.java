package health.outreach.web;

import io.micronaut.core.order.Ordered;
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
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headers the API documentation carries, errors included (this filter wraps all others): the admin
 * pages' framing rules and a policy that allows only its own scripts (the page's one inline script by
 * its hash) and requests to this origin.
 */
@ServerFilter(patterns = {"/swagger/**", "/swagger-ui", "/swagger-ui/**"})
class ResponseHeaders implements Ordered {

    private static final String SWAGGER_UI_PAGE = "META-INF/swagger/views/swagger-ui/index.html";
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    private final String swaggerUiPolicy;

    ResponseHeaders() {
        this.swaggerUiPolicy = "default-src 'none'; script-src 'self'" + inlineScriptHashes() + "; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    @ResponseFilter
    void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        MutableHttpHeaders headers = response.getHeaders();
        String path = request.getPath();
        if (path.startsWith("/swagger")) {
            headers.set("X-Content-Type-Options", "nosniff");
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
