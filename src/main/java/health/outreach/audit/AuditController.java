package health.outreach.audit;

import health.outreach.common.Jdbc;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /api/v1/audit}: newest first, filtered by entity; administrators only. */
@Controller("/api/v1/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class AuditController {

    private final Jdbc jdbc;

    AuditController(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Serdeable
    record AuditEntry(long id, Instant occurredAt, String actor, String action, @Nullable String entityType,
                      @Nullable String entityId, @Nullable String detail, @Nullable String clientIp) {
    }

    @Get
    List<AuditEntry> list(@Nullable @QueryValue @Size(max = 32) String entityType,
                          @Nullable @QueryValue @Size(max = 64) String entityId,
                          @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit) {
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
        return jdbc.query(sql.toString(), rs -> new AuditEntry(rs.getLong("id"), Jdbc.instant(rs, "occurred_at"),
                rs.getString("actor"), rs.getString("action"), rs.getString("entity_type"), rs.getString("entity_id"),
                rs.getString("detail"), rs.getString("client_ip")), params.toArray());
    }
}
