package health.outreach.security;

import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who may sign in, with which role: the rules the API and the admin pages share. There is always
 * one enabled administrator; nobody deletes their own account; every change is audited.
 */
@Singleton
class UserAccounts {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;
    private final Sessions sessions;

    UserAccounts(UserRepository users, PasswordHasher hasher, AuditLog audit, Clock clock, Sessions sessions) {
        this.sessions = sessions;
        this.users = users;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    List<AppUser> list() {
        return users.listOrderByUsername();
    }

    AppUser get(long id) {
        return users.findById(id).orElseThrow(() -> ProblemException.notFound("User", id));
    }

    @Transactional
    AppUser create(String username, @Nullable String displayName, Role role, String password) {
        if (users.findByUsername(username).isPresent()) {
            throw ProblemException.conflict("The username '" + username + "' is taken");
        }
        Instant now = clock.instant();
        AppUser saved = users.save(new AppUser(null, username, displayName, hasher.hash(password), role, true, now, now));
        audit.record("user.create", "user", saved.id(), Map.of("username", saved.username(), "role", saved.role()));
        return saved;
    }

    /** {@code password} null keeps the current one. */
    @Transactional
    AppUser update(long id, @Nullable String displayName, Role role, boolean enabled, @Nullable String password) {
        AppUser user = get(id);
        boolean losesAdmin = user.role() == Role.ADMIN && (role != Role.ADMIN || !enabled);
        if (losesAdmin && users.listOrderByUsername().stream().filter(u -> u.role() == Role.ADMIN && u.enabled()).count() <= 1) {
            throw ProblemException.conflict("This is the last enabled administrator");
        }
        String hash = password == null ? user.passwordHash() : hasher.hash(password);
        AppUser saved = users.update(new AppUser(id, user.username(), displayName, hash, role, enabled, user.createdAt(),
                clock.instant()));
        if (role != user.role() || enabled != user.enabled() || password != null) {
            sessions.endAll(user.username()); // tokens issued under the old role, state or password stop working
        }
        audit.record("user.update", "user", id, Map.of("role", saved.role(), "enabled", saved.enabled(),
                "passwordChanged", password != null));
        return saved;
    }

    @Transactional
    void delete(long id) {
        AppUser user = get(id);
        if (user.username().equals(AuditLog.currentActor())) {
            throw ProblemException.conflict("You cannot delete your own account");
        }
        if (user.role() == Role.ADMIN && users.listOrderByUsername().stream().filter(u -> u.role() == Role.ADMIN).count() <= 1) {
            throw ProblemException.conflict("This is the last administrator");
        }
        users.deleteById(id);
        sessions.endAll(user.username());
        audit.record("user.delete", "user", id, Map.of("username", user.username()));
    }
}
