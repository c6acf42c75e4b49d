package health.outreach.security;

import health.outreach.config.OutreachConfig;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.ApplicationConfiguration;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.claims.ClaimsAudienceProvider;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * What a sign-in token must say besides its signature, exactly as this service issues it: an expiry,
 * no "not before" in the future, this service as issuer ({@code iss}, the application name the token
 * generator writes), this deployment as audience ({@code aud}, the public URL, written through
 * {@link ClaimsAudienceProvider}) and exactly one role that is one of ours. {@link Sessions} then
 * checks that role against the user's current one. A token signed with the right key but shaped
 * otherwise (two roles, no expiry, another issuer or audience) is refused with 401.
 */
@Singleton
class TokenClaims implements GenericJwtClaimsValidator<HttpRequest<?>>, ClaimsAudienceProvider {

    static final String ROLES = "roles";
    /** Nodes' clocks differ a little; a token issued by one is good on another at once. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final String issuer;
    private final String audience;
    /** The token generator stamps iat, nbf and exp from the system clock; they are checked against the same. */
    private final Clock clock = Clock.systemUTC();

    TokenClaims(ApplicationConfiguration application, OutreachConfig config) {
        this.issuer = application.getName().orElse("outreach");
        this.audience = config.baseUrl();
    }

    @Override
    public List<String> audience() {
        return List.of(audience);
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        Instant now = clock.instant();
        Instant expires = instant(claims.get(Claims.EXPIRATION_TIME));
        if (expires == null || !expires.isAfter(now)) {
            return false;
        }
        Object notBefore = claims.get(Claims.NOT_BEFORE);
        if (notBefore != null && (instant(notBefore) == null || instant(notBefore).isAfter(now.plus(SKEW)))) {
            return false;
        }
        if (!issuer.equals(claims.get(Claims.ISSUER))) {
            return false;
        }
        Object aud = claims.get(Claims.AUDIENCE);
        boolean forUs = aud instanceof Collection<?> many ? many.size() == 1 && many.contains(audience) : audience.equals(aud);
        return forUs && oneRole(claims.get(ROLES));
    }

    private static boolean oneRole(Object roles) {
        if (!(roles instanceof Collection<?> named) || named.size() != 1
                || !(named.iterator().next() instanceof String role)) {
            return false;
        }
        for (Role known : Role.values()) {
            if (known.name().equals(role)) {
                return true;
            }
        }
        return false;
    }

    /** A NumericDate claim as the JWT library hands it over (a Date), or as seconds. */
    private static Instant instant(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        return null;
    }
}
