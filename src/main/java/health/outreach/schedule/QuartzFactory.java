package health.outreach.schedule;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;

/**
 * Quartz with its JDBC JobStore on the application database, clustered: every node runs a
 * scheduler and the database decides which node fires a trigger. Jobs are Micronaut beans.
 * Quartz gets the raw pool (not Micronaut's transaction-aware wrapper), because JobStoreTX manages
 * its own connections and commits.
 */
@Factory
class QuartzFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    Scheduler scheduler(DataSource dataSource, DataSourceResolver resolver, ApplicationContext context,
                        SchedulerSettings settings) throws SchedulerException {
        DataSource raw = resolver.resolve(dataSource);
        // DBConnectionManager is JVM-global; a unique name keeps several contexts (tests) apart.
        String providerName = "outreach-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(providerName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return raw.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to Micronaut
            }

            @Override
            public void initialize() {
                // nothing to set up
            }
        });
        Properties p = new Properties();
        // Quartz keeps schedulers in a JVM-wide registry by name and would hand back another context's
        // scheduler (bound to another database) instead of making ours: refuse rather than share.
        org.quartz.Scheduler existing = org.quartz.impl.SchedulerRepository.getInstance().lookup(settings.name());
        if (existing != null && !existing.isShutdown()) {
            throw new SchedulerException("a Quartz scheduler named '" + settings.name() + "' already runs in this JVM");
        }
        p.setProperty("org.quartz.scheduler.instanceName", settings.name());
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(settings.threads()));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        // PostgreSQLDelegate works on PostgreSQL and on H2 in PostgreSQL mode (H2's own delegate does not).
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", providerName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(settings.checkinInterval().toMillis()));
        // Without this two nodes can fire one trigger (quartz issues #107, #29, #548).
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        StdSchedulerFactory factory = new StdSchedulerFactory(p);
        Scheduler scheduler = factory.getScheduler();
        scheduler.setJobFactory(jobFactory(context));
        return scheduler;
    }

    private static JobFactory jobFactory(ApplicationContext context) {
        return (bundle, scheduler) -> {
            Class<? extends Job> type = bundle.getJobDetail().getJobClass();
            return context.getBean(type);
        };
    }
}
