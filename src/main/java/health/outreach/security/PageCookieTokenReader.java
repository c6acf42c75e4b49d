package health.outreach.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Reads the login cookie set by a form login, for browser pages only. The API takes bearer tokens,
 * so a page on another site can never ride a signed-in browser's cookie into {@code /api}.
 */
@Singleton
class PageCookieTokenReader implements TokenReader<HttpRequest<?>> {

    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        if (request.getPath().startsWith("/api/")) {
            return Optional.empty();
        }
        return request.getCookies().findCookie(LoginController.COOKIE).map(Cookie::getValue);
    }

    @Override
    public int getOrder() {
        return 100; // after the bearer header
    }
}
