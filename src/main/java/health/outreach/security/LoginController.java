package health.outreach.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import health.outreach.common.ProblemResponses;
import health.outreach.config.OutreachConfig;
import health.outreach.web.AdminPages;
import health.outreach.web.ClientAddress;
import health.outreach.web.Forms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /login}: JSON answers a bearer token for the API; a browser form gets the same token in
 * an HttpOnly, SameSite=Strict cookie. Failed attempts are throttled per username and client address,
 * and per client address ({@link LoginThrottle}).
 * {@code GET /login} is the admin UI's sign-in page, {@code POST /logout} ends a browser session.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class LoginController {

    static final String COOKIE = AdminPages.SESSION_COOKIE;
    private static final int TOKEN_SECONDS = 8 * 3600;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final TokenGenerator tokens;
    private final LoginThrottle throttle;
    private final ClientAddress clientAddress;
    private final OutreachConfig config;
    private final AdminPages pages;
    private final Sessions sessions;

    LoginController(UserRepository users, PasswordHasher hasher, TokenGenerator tokens, LoginThrottle throttle,
                    ClientAddress clientAddress, OutreachConfig config, AdminPages pages, Sessions sessions) {
        this.pages = pages;
        this.sessions = sessions;
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
        this.config = config;
    }

    @Serdeable
    record Credentials(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 1000) String password) {
    }

    @Serdeable
    record TokenResponse(@JsonProperty("access_token") String accessToken,
                         @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") int expiresIn,
                         String username,
                         List<String> roles) {
    }

    @Post(value = "/login", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> json(@Valid @Body Credentials credentials, HttpRequest<?> request) {
        return authenticate(credentials, request)
                .<HttpResponse<?>>map(user -> HttpResponse.ok(new TokenResponse(token(user), "Bearer", TOKEN_SECONDS,
                        user.username(), List.of(user.role().name()))))
                .orElseGet(() -> rejection(request));
    }

    /** The sign-in page of the admin UI; {@code next} is where to go after it (an admin path only). */
    @Get(value = "/login", produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request, @Nullable @QueryValue String next) {
        return pages.page(request, HttpStatus.OK, "login", Map.of("next", safeNext(next), "username", ""));
    }

    /** A browser form: the token in an HttpOnly, SameSite=Strict cookie; a failure shows the form again. */
    @Post(value = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> form(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        String username = Objects.requireNonNullElse(Forms.first(form, "username"), "").strip();
        String password = Objects.requireNonNullElse(Forms.first(form, "password"), "");
        String next = safeNext(Forms.first(form, "next"));
        if ("cross-site".equalsIgnoreCase(request.getHeaders().get("Sec-Fetch-Site"))) {
            return pages.page(request, HttpStatus.FORBIDDEN, "login", Map.of("next", next, "username", "",
                    "error", "This sign-in form was sent from another site."));
        }
        Optional<AppUser> user = username.isEmpty() || password.isEmpty() || username.length() > 100 || password.length() > 1000
                ? Optional.empty() : authenticate(new Credentials(username, password), request);
        if (user.isEmpty()) {
            return pages.page(request, HttpStatus.UNAUTHORIZED, "login", Map.of("next", next,
                    "username", username.length() > 100 ? "" : username, "error", "Unknown username or wrong password."));
        }
        return HttpResponse.seeOther(URI.create(next)).cookie(sessionCookie(token(user.get()), TOKEN_SECONDS));
    }

    /** Ends the browser session; a POST with the session's form token, so no other site can sign anyone out. */
    @Post(value = "/logout", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<?> logout(HttpRequest<?> request) {
        pages.me(request).ifPresent(me -> sessions.endAll(me.username())); // a copied token stops working too
        return HttpResponse.seeOther(URI.create("/login")).cookie(sessionCookie("", 0));
    }

    private Cookie sessionCookie(String value, int seconds) {
        return Cookie.of(COOKIE, value)
                .httpOnly(true)
                .secure(config.publicUrl().startsWith("https:"))
                .sameSite(SameSite.Strict)
                .path("/")
                .maxAge(Duration.ofSeconds(seconds));
    }

    /** Only a path inside the admin UI: never another host, never a scheme-relative URL. */
    static String safeNext(@Nullable String next) {
        if (next == null || !(next.equals("/admin") || next.startsWith("/admin/")) || next.contains("//")
                || next.contains("\\") || next.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            return "/admin";
        }
        try {
            new URI(next); // the redirect must be able to carry it
            return next;
        } catch (java.net.URISyntaxException e) {
            return "/admin";
        }
    }

    private Optional<AppUser> authenticate(Credentials credentials, HttpRequest<?> request) {
        String username = credentials.username().trim().toLowerCase();
        String address = clientAddress.of(request);
        Optional<java.time.Instant> locked = throttle.lockedUntil(username, address);
        if (locked.isPresent()) {
            throw new Throttled(locked.get());
        }
        Optional<AppUser> user = users.findByUsername(username).filter(AppUser::enabled);
        boolean ok;
        if (user.isPresent()) {
            ok = hasher.matches(credentials.password(), user.get().passwordHash());
        } else {
            hasher.burnDecoy(credentials.password());
            ok = false;
        }
        if (!ok) {
            throttle.failed(username, address);
            return Optional.empty();
        }
        throttle.succeeded(username, address);
        return user;
    }

    private String token(AppUser user) {
        Authentication authentication = Authentication.build(user.username(), List.of(user.role().name()),
                Map.of("name", user.displayName() == null ? user.username() : user.displayName(),
                        Sessions.CLAIM, sessions.generation(user.username())));
        return tokens.generateToken(authentication, TOKEN_SECONDS)
                .orElseThrow(() -> new IllegalStateException("token generator produced no token"));
    }

    private HttpResponse<?> rejection(HttpRequest<?> request) {
        return ProblemResponses.response(request, HttpStatus.UNAUTHORIZED, "login-failed",
                "Unknown username or wrong password", List.of());
    }

    /** Too many failures: answered as 429 with Retry-After by {@link ThrottledHandler}. */
    static final class Throttled extends RuntimeException {
        private final java.time.Instant until;

        Throttled(java.time.Instant until) {
            super("Too many failed logins; try again later", null, false, false);
            this.until = until;
        }

        /** When the lock that refused this sign-in ends. */
        java.time.Instant until() {
            return until;
        }
    }
}
