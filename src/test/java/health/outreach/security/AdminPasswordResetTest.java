package health.outreach.security;

import health.outreach.common.Jdbc;
import health.outreach.support.Api;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An operator who lost the printed passwords starts the node with OUTREACH_RESET_ADMIN_PASSWORD: the
 * admin account takes that password (enabled, an administrator again), earlier sign-ins end, and the
 * audit log says so. Left set, the next start changes nothing.
 */
@MicronautTest(transactional = false)
@Property(name = "outreach.security.reset-admin-password", value = "recovered-admin-password")
class AdminPasswordResetTest {

    private static final String RESET = "recovered-admin-password";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    FirstAdmin firstAdmin;

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    Jdbc jdbc;

    @Test
    void theResetSettingGivesTheAdminAccountBackOnAnExistingDatabase() {
        Api api = new Api(client);
        assertEquals(200, status(api, RESET), "the setting applied at this start already");

        String earlier = api.login("admin", RESET);
        // Later someone changes the password, demotes and disables the account, and the password is lost.
        AppUser admin = users.findByUsername("admin").orElseThrow();
        users.update(new AppUser(admin.id(), "admin", admin.displayName(), hasher.hash("a-forgotten-password"), Role.MANAGER,
                false, admin.createdAt(), Instant.now()));
        assertEquals(401, status(api, RESET));

        long resetsBefore = resets();
        firstAdmin.resetIfAsked(); // the next start, with the setting still given
        assertEquals(200, status(api, RESET));
        AppUser restored = users.findByUsername("admin").orElseThrow();
        assertEquals(Role.ADMIN, restored.role());
        assertEquals(true, restored.enabled());
        assertEquals(200, api.get("/api/v1/users", api.login("admin", RESET)).status(), "an administrator again");
        assertEquals(resetsBefore + 1, resets(), "the reset is audited");
        assertEquals(401, api.get("/api/v1/users", earlier).status(), "sign-ins from before the reset end");

        firstAdmin.resetIfAsked(); // and once more: the password already matches
        assertEquals(resetsBefore + 1, resets(), "a setting left in place changes nothing");
    }

    private int status(Api api, String password) {
        return api.post("/login", Map.of("username", "admin", "password", password), null).status();
    }

    private long resets() {
        return jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'user.password-reset' AND actor = 'system'");
    }
}
