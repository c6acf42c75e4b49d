package health.outreach.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.outreach.common.Jdbc;
import health.outreach.common.Zones;
import health.outreach.program.ProgramService;
import health.outreach.web.ViewerZone;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.security.Principal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The zone staff read times in: their own setting, else the program's (where its clinics work).
 * Every admin page asks, so the setting is cached briefly per user; a change on this node applies
 * at once, on another node within the cache's half minute.
 */
@Singleton
public class UserZones implements ViewerZone {

    private final Jdbc jdbc;
    private final ProgramService program;
    private final Cache<String, Optional<String>> zones = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();

    public UserZones(Jdbc jdbc, ProgramService program) {
        this.jdbc = jdbc;
        this.program = program;
    }

    @Override
    public ZoneId of(HttpRequest<?> request) {
        return request.getUserPrincipal(Principal.class).flatMap(p -> own(p.getName())).map(ZoneId::of)
                .orElseGet(() -> ZoneId.of(program.current().defaultTimeZone()));
    }

    /** The user's own zone, if they chose one. */
    public Optional<String> own(String username) {
        return zones.get(username, u -> jdbc.queryOne("SELECT time_zone FROM app_user WHERE username = ?",
                rs -> Optional.ofNullable(rs.getString(1)), u).flatMap(z -> z).filter(Zones::isRegion));
    }

    /** Sets the user's zone; null or empty goes back to the program's. @return false for a zone that is not a region */
    public boolean set(String username, String zone) {
        String value = zone == null || zone.isBlank() ? null : zone.strip();
        if (value != null && !Zones.isRegion(value)) {
            return false;
        }
        jdbc.update("UPDATE app_user SET time_zone = ? WHERE username = ?", value, username);
        zones.invalidate(username);
        return true;
    }
}
