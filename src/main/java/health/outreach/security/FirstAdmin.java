package health.outreach.security;

import health.outreach.audit.AuditLog;
import health.outreach.common.RandomTokens;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Makes sure there is an administrator, creates users whose passwords are printed exactly once, and
 * lets an operator who lost the printed passwords take the {@code admin} account back with
 * {@code OUTREACH_RESET_ADMIN_PASSWORD} (audited; every earlier sign-in of that account ends).
 */
@Singleton
public class FirstAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);
    static final String ADMIN = "admin";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SecuritySettings settings;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    FirstAdmin(UserRepository users, PasswordHasher hasher, SecuritySettings settings, Sessions sessions, AuditLog audit,
               Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.settings = settings;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    public void ensure() {
        resetIfAsked();
        if (users.existsByRole(Role.ADMIN)) {
            return;
        }
        String configured = settings.adminPassword();
        boolean generated = configured == null || configured.isBlank();
        String password = generated ? RandomTokens.newToken(12) : configured;
        create(ADMIN, "Administrator", Role.ADMIN, password);
        if (generated) {
            announce(ADMIN, password);
        } else {
            LOG.info("Created user 'admin' with the password from OUTREACH_ADMIN_PASSWORD");
        }
    }

    /**
     * With {@code outreach.security.reset-admin-password} set, the {@code admin} account gets that
     * password, is enabled and is an administrator again (created if it was deleted). Nothing changes
     * while the password already matches, so a setting left in place does no harm at the next start.
     */
    @Transactional
    void resetIfAsked() {
        String password = settings.resetAdminPassword();
        if (password == null || password.isBlank()) {
            return;
        }
        if (password.length() < 12) {
            throw new IllegalStateException("OUTREACH_RESET_ADMIN_PASSWORD must be at least 12 characters");
        }
        Instant now = clock.instant();
        AppUser user = users.findByUsername(ADMIN).orElse(null);
        if (user != null && user.enabled() && user.role() == Role.ADMIN && hasher.matches(password, user.passwordHash())) {
            LOG.warn("OUTREACH_RESET_ADMIN_PASSWORD is still set; the 'admin' password already matches it. Remove the setting.");
            return;
        }
        AppUser saved = user == null
                ? users.save(new AppUser(null, ADMIN, "Administrator", hasher.hash(password), Role.ADMIN, true, now, now))
                : users.update(new AppUser(user.id(), ADMIN, user.displayName(), hasher.hash(password), Role.ADMIN, true,
                user.createdAt(), now));
        sessions.endAll(ADMIN);
        audit.recordAs(AuditLog.SYSTEM, null, "user.password-reset", "user", saved.id(),
                Map.of("username", ADMIN, "source", "OUTREACH_RESET_ADMIN_PASSWORD"));
        LOG.warn("The password of 'admin' was reset from OUTREACH_RESET_ADMIN_PASSWORD (audited); remove the setting now.");
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
