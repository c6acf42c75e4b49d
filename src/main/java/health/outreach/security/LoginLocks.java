package health.outreach.security;

import health.outreach.audit.AuditLog;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-ins refused for a while: one username from one client address, or every username from one
 * address. Kept in the database so every node refuses the same sign-ins and an administrator sees and
 * lifts a lock whichever node set it. Setting and lifting a lock are audited with the lock.
 */
@Singleton
class LoginLocks {

    /** Stored for a lock on every username from the address; never a username (those are not blank). */
    private static final String EVERY_USERNAME = "";

    /**
     * @param username null when the lock holds for every username from {@code client}
     * @param client   the client address, or its /64 for IPv6 (what the limits count under)
     */
    @Serdeable
    public record LoginLock(long id, @Nullable String username, String client, int failures, Instant lockedAt,
                     Instant lockedUntil) {
    }

    private final Jdbc jdbc;
    private final AuditLog audit;
    private final Clock clock;

    LoginLocks(Jdbc jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Until when a sign-in as {@code username} from {@code client} is refused, if it is. */
    Optional<Instant> lockedUntil(String username, String client) {
        return jdbc.queryOne("""
                        SELECT locked_until FROM login_lock
                        WHERE client_key = ? AND username IN (?, ?) AND locked_until > ?
                        ORDER BY locked_until DESC LIMIT 1""",
                rs -> Jdbc.instant(rs, "locked_until"), client, username, EVERY_USERNAME, clock.instant());
    }

    /** Locks {@code username} (null: every username) from {@code client} for {@code duration}, audited. */
    @Transactional
    LoginLock lock(@Nullable String username, String client, int failures, Duration duration) {
        Instant now = clock.instant();
        Instant until = now.plus(duration);
        String stored = username == null ? EVERY_USERNAME : username;
        jdbc.update("DELETE FROM login_lock WHERE locked_until <= ?", now);
        // Another node may have locked the same sign-ins a moment ago: one lock per key, the later one wins.
        jdbc.update("INSERT INTO login_lock (username, client_key, failures, locked_at, locked_until) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", stored, client, failures, now, until);
        jdbc.update("UPDATE login_lock SET failures = ?, locked_at = ?, locked_until = ? WHERE client_key = ? AND username = ?",
                failures, now, until, client, stored);
        LoginLock lock = find(client, stored).orElseThrow();
        audit.record("login.lock", "login_lock", lock.id(), detail(lock));
        return lock;
    }

    /** The locks in force, the latest first. */
    List<LoginLock> active() {
        return jdbc.query("SELECT * FROM login_lock WHERE locked_until > ? ORDER BY locked_at DESC, id DESC",
                LoginLocks::row, clock.instant());
    }

    /** Ends a lock in force now, audited; empty when there is none with this id (lifted, or run out). */
    @Transactional
    Optional<LoginLock> lift(long id) {
        Optional<LoginLock> lock = jdbc.queryOne("SELECT * FROM login_lock WHERE id = ? AND locked_until > ?",
                LoginLocks::row, id, clock.instant());
        lock.ifPresent(l -> {
            jdbc.update("DELETE FROM login_lock WHERE id = ?", id);
            audit.record("login.unlock", "login_lock", id, detail(l));
        });
        return lock;
    }

    private Optional<LoginLock> find(String client, String stored) {
        return jdbc.queryOne("SELECT * FROM login_lock WHERE client_key = ? AND username = ?", LoginLocks::row,
                client, stored);
    }

    private static LoginLock row(java.sql.ResultSet rs) throws java.sql.SQLException {
        String username = rs.getString("username");
        return new LoginLock(rs.getLong("id"), EVERY_USERNAME.equals(username) ? null : username, rs.getString("client_key"),
                rs.getInt("failures"), Jdbc.instant(rs, "locked_at"), Jdbc.instant(rs, "locked_until"));
    }

    private static Map<String, Object> detail(LoginLock lock) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("username", lock.username() == null ? "(every username)" : lock.username());
        detail.put("client", lock.client());
        detail.put("failures", lock.failures());
        detail.put("lockedUntil", lock.lockedUntil().toString());
        return detail;
    }
}
