package health.outreach.security;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;

/** Argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane) through password4j. */
@Singleton
public class PasswordHasher {

    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
    /** Verified against when the user does not exist, so a wrong username costs as much as a wrong password. */
    private final String decoy = hash("decoy-password-for-timing");

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    public boolean matches(String password, String hash) {
        return Password.check(password, hash).with(ARGON2);
    }

    public void burnDecoy(String password) {
        matches(password, decoy);
    }
}
