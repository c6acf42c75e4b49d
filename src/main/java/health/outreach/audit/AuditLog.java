package health.outreach.audit;

import health.outreach.common.Jdbc;
import health.outreach.web.ClientAddress;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Appends to the audit log in the caller's transaction, so an audited change and its record commit or
 * roll back together. The actor and client address come from the current request, or "system".
 */
@Singleton
public class AuditLog {

    public static final String SYSTEM = "system";

    private final Jdbc jdbc;
    private final Clock clock;
    private final ObjectMapper json;
    private final ClientAddress clientAddress;

    public AuditLog(Jdbc jdbc, Clock clock, ObjectMapper json, ClientAddress clientAddress) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
        this.clientAddress = clientAddress;
    }

    public void record(String action, String entityType, Object entityId, Map<String, ?> detail) {
        Optional<HttpRequest<Object>> request = ServerRequestContext.currentRequest();
        String actor = request.flatMap(HttpRequest::getUserPrincipal).map(Principal::getName).orElse(SYSTEM);
        String address = request.map(clientAddress::of).orElse(null);
        recordAs(actor, address, action, entityType, entityId, detail);
    }

    public void recordAs(String actor, String address, String action, String entityType, Object entityId,
                         Map<String, ?> detail) {
        if (address == null) {
            address = ServerRequestContext.currentRequest().map(clientAddress::of).orElse(null);
        }
        jdbc.update("""
                        INSERT INTO audit_log (occurred_at, actor, action, entity_type, entity_id, detail, client_ip)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""",
                clock.instant(), actor, action, entityType, entityId == null ? null : entityId.toString(),
                toJson(detail), address);
    }

    /** The signed-in username of the current request, or "system" outside a request. */
    public static String currentActor() {
        return ServerRequestContext.currentRequest()
                .flatMap(HttpRequest::getUserPrincipal).map(Principal::getName).orElse(SYSTEM);
    }

    private String toJson(Map<String, ?> detail) {
        if (detail == null || detail.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
