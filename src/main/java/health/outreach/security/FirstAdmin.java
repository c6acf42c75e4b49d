package health.outreach.security;

import health.outreach.common.RandomTokens;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/** Makes sure there is an administrator, and creates users whose passwords are printed exactly once. */
@Singleton
public class FirstAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SecuritySettings settings;
    private final Clock clock;

    FirstAdmin(UserRepository users, PasswordHasher hasher, SecuritySettings settings, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.settings = settings;
        this.clock = clock;
    }

    public void ensure() {
        if (users.existsByRole(Role.ADMIN)) {
            return;
        }
        String configured = settings.adminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? RandomTokens.newToken(12) : configured;
        create("admin", "Administrator", Role.ADMIN, password);
        if (generated) {
            announce("admin", password);
        } else {
            LOG.info("Created user 'admin' with the password from OUTREACH_ADMIN_PASSWORD");
        }
    }

    /** Creates a user with a generated password, printed once; nothing when the username exists. */
    public void createWithGeneratedPassword(String username, String displayName, Role role) {
        if (users.findByUsername(username).isPresent()) {
            return;
        }
        String password = RandomTokens.newToken(12);
        create(username, displayName, role, password);
        announce(username, password);
    }

    private void create(String username, String displayName, Role role, String password) {
        Instant now = clock.instant();
        users.save(new AppUser(null, username, displayName, hasher.hash(password), role, true, now, now));
    }

    private static void announce(String username, String password) {
        // Printed once, at creation; only the hash is stored. Change it through /api/v1/users.
        LOG.warn("\n\n    Created user '{}' with password: {}\n    (shown only now; store it safely)\n", username, password);
    }
}
