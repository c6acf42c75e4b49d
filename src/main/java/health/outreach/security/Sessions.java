package health.outreach.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.outreach.common.Jdbc;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Makes stateless sign-in tokens revocable: each carries the user's session generation ("gen"),
 * and a token is accepted only while the user is enabled, still has the role it names and is
 * still at that generation. Signing out and changes of role, enabled or password move the
 * generation on. Users are cached for a few seconds: this check runs on every authenticated
 * request, often on the event loop, so it must not wait on the database each time; another
 * node sees a revocation within {@link #TTL_NANOS}.
 */
@Singleton
class Sessions implements GenericJwtClaimsValidator<HttpRequest<?>> {

    static final String CLAIM = "gen";
    private static final long TTL_NANOS = 5_000_000_000L;

    private record State(boolean enabled, String role, int generation) {
    }

    private final Jdbc jdbc;
    private final Cache<String, State> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofNanos(TTL_NANOS)).build();

    Sessions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The generation a token issued now carries. */
    int generation(String username) {
        return state(username).map(State::generation).orElse(0);
    }

    /** Every token of this user issued until now stops working (sign-out; a changed role or password). */
    void endAll(String username) {
        jdbc.update("UPDATE app_user SET session_generation = session_generation + 1 WHERE username = ?", username);
        cache.invalidate(username);
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        Object subject = claims.get(Claims.SUBJECT);
        Object generation = claims.get(CLAIM);
        Object roles = claims.get("roles");
        if (!(subject instanceof String username) || !(generation instanceof Number gen)) {
            return false;
        }
        return state(username).filter(s -> s.enabled() && s.generation() == gen.intValue()
                && roles instanceof Collection<?> named && named.contains(s.role())).isPresent();
    }

    private Optional<State> state(String username) {
        State cached = cache.getIfPresent(username);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<State> loaded = jdbc.queryOne("SELECT enabled, role, session_generation FROM app_user WHERE username = ?",
                rs -> new State(rs.getBoolean(1), rs.getString(2), rs.getInt(3)), username);
        loaded.ifPresent(s -> cache.put(username, s));
        return loaded;
    }
}
