package health.outreach.schema;

import health.outreach.common.Jdbc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java migrations are found through the bean context and applied in order after the SQL ones. */
@MicronautTest(transactional = false)
class JavaMigrationTest {

    @Inject
    Jdbc jdbc;

    @Test
    void theImportTablesLoseTheirForeignKeysAndNothingElseDoes() {
        assertEquals(1L, jdbc.queryLong("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '11' AND success"));
        assertEquals(0L, foreignKeys("consent_event") + foreignKeys("contact_attribute"));
        assertEquals(2L, foreignKeys("enrollment"), "other tables keep theirs (enrollment: campaign and contact)");
    }

    @Test
    void theOutboxKeepsOnlyTheKeysADeletePathNeeds() {
        assertEquals(1L, jdbc.queryLong("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '12' AND success"));
        assertEquals(2L, foreignKeys("message"), "message keeps campaign and campaign_step");
        assertEquals(0L, foreignKeys("tracked_link"));
    }

    private long foreignKeys(String table) {
        return jdbc.queryLong("SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY' "
                + "AND table_schema = CURRENT_SCHEMA AND table_name = ?", table);
    }
}
