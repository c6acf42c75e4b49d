package health.outreach.schema;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The schema's Java migrations, handed to Flyway for the default datasource: micronaut-flyway
 * looks up a {@code JavaMigration[]} bean named after the datasource. SQL migrations stay in
 * {@code db/migration}; Flyway orders both kinds by version.
 */
@Factory
class JavaMigrations {

    @Singleton
    @Named("default")
    JavaMigration[] defaultDatasource() {
        return new JavaMigration[]{new V11__ImportWithoutForeignKeyChecks(), new V12__LeanOutboxWrites(), new V15__HotDeliveryUpdates()};
    }
}
