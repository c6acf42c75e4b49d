package health.outreach.audit;

import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.util.List;

/** {@code GET /api/v1/audit}: newest first, filtered by entity; administrators only. */
@Controller("/api/v1/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class AuditController {

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @Get
    List<AuditTrail.Entry> list(@Nullable @QueryValue @Size(max = 32) String entityType,
                                @Nullable @QueryValue @Size(max = 64) String entityId,
                                @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return trail.recent(entityType, entityId, limit);
    }
}
