package health.outreach.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import jakarta.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The admin forms' token: an HMAC of the session's login token, so another site can neither read nor
 * forge it. {@link AdminFormFilter} checks it before any admin POST runs; the SameSite=Strict session
 * cookie is the first line, this the second (it also refuses a form the browser says came from
 * another site).
 */
@Singleton
public class AdminFormTokens {

    /** The hidden field carrying the token (the filter's configured field name). */
    public static final String FIELD = "_csrf";
    private static final String PURPOSE = "admin";

    private final FormTokens tokens;

    AdminFormTokens(FormTokens tokens) {
        this.tokens = tokens;
    }

    /** Whether {@code presented} is this session's token and the browser did not say the form came from another site. */
    public boolean accepts(HttpRequest<?> request, @Nullable String presented) {
        String session = session(request);
        return session != null && tokens.accepts(request, PURPOSE, session, presented);
    }

    /** The token the session's forms carry, or "" when nobody is signed in. */
    String issue(HttpRequest<?> request) {
        String session = session(request);
        return session == null ? "" : tokens.issue(PURPOSE, session);
    }

    private static String session(HttpRequest<?> request) {
        return request.getCookies().findCookie(AdminPages.SESSION_COOKIE).map(Cookie::getValue)
                .or(() -> Optional.ofNullable(request.getHeaders().getAuthorization().orElse(null)))
                .orElse(null);
    }
}
