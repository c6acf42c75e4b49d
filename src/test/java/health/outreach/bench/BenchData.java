package health.outreach.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Bulk test data written straight into the benchmark's PostgreSQL database (not measured). */
final class BenchData {

    private BenchData() {
    }

    /** {@code count} contacts opted in to email, spread over four US zones; a fifth Spanish-speaking. */
    static void contacts(BenchDatabase db, int count) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO contact (first_name, last_name, email, email_hash, locale, time_zone, postal_code, "
                    + "email_consent, created_at, updated_at) "
                    + "SELECT 'Name' || g, 'Family', 'p' || g || '@example.org', "
                    + "encode(sha256(('p' || g || '@example.org')::bytea), 'hex'), "
                    + "CASE WHEN g % 5 = 0 THEN 'es-US' ELSE 'en-US' END, "
                    + "(ARRAY['America/New_York','America/Chicago','America/Denver','America/Los_Angeles'])[1 + g % 4], "
                    + "lpad((g % 99999)::text, 5, '0'), 'OPTED_IN', now(), now() FROM generate_series(1, " + count + ") g");
            s.execute("ANALYZE contact");
        }
    }
}
