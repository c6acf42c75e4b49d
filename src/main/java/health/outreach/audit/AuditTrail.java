package health.outreach.audit;

import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reading the audit log, newest first, optionally for one entity: for the API and the admin page. */
@Singleton
public class AuditTrail {

    @Serdeable
    public record Entry(long id, Instant occurredAt, String actor, String action, @Nullable String entityType,
                        @Nullable String entityId, @Nullable String detail, @Nullable String clientIp) {
    }

    private final Jdbc jdbc;

    AuditTrail(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Entry> recent(@Nullable String entityType, @Nullable String entityId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (entityType != null) {
            sql.append(" AND entity_type = ?");
            params.add(entityType);
        }
        if (entityId != null) {
            sql.append(" AND entity_id = ?");
            params.add(entityId);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit);
        return jdbc.query(sql.toString(), rs -> new Entry(rs.getLong("id"), Jdbc.instant(rs, "occurred_at"),
                rs.getString("actor"), rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"),
                rs.getString("detail"), rs.getString("client_ip")), params.toArray());
    }
}
