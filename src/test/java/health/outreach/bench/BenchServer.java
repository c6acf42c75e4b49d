package health.outreach.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/** The real service on a benchmark database: migrations applied, no seeds. */
final class BenchServer {

    private BenchServer() {
    }

    static EmbeddedServer start(BenchDatabase db, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("datasources.default.url", db.url());
        props.put("datasources.default.username", BenchDatabase.USER);
        props.put("datasources.default.password", BenchDatabase.PASSWORD);
        props.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        props.put("outreach.seeds-enabled", false);
        props.put("outreach.security.admin-password", "bench-admin-password");
        props.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }
}
