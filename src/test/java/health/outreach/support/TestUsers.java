package health.outreach.support;

import health.outreach.security.AppUser;
import health.outreach.security.PasswordHasher;
import health.outreach.security.Role;
import health.outreach.security.UserRepository;
import io.micronaut.http.client.HttpClient;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** One signed-in user per role for a test context (the admin comes from the test configuration). */
@Singleton
public class TestUsers {

    public static final String PASSWORD = "correct horse battery staple";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Map<Role, String> tokens = new EnumMap<>(Role.class);

    public TestUsers(UserRepository users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    /** A browser session of the role's test user, signed in through the login form. */
    public PageSession page(HttpClient client, Role role) {
        token(new Api(client), role); // creates the user on first use
        return PageSession.signedIn(client, "test-" + role.name().toLowerCase(), PASSWORD);
    }

    public synchronized String token(Api api, Role role) {
        return tokens.computeIfAbsent(role, r -> {
            String username = "test-" + r.name().toLowerCase();
            if (users.findByUsername(username).isEmpty()) {
                users.save(new AppUser(null, username, "Test " + r, hasher.hash(PASSWORD), r, true, Instant.now(), Instant.now()));
            }
            return api.login(username, PASSWORD);
        });
    }
}
