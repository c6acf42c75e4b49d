package health.outreach.channel;

import health.outreach.common.Channel;
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

/** {@code GET /api/v1/dev/mailbox}: email and SMS captured by the embedded default's capture transports, newest first. */
@Controller("/api/v1/dev/mailbox")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class DevMailboxController {

    private final CapturedMessages captured;

    DevMailboxController(CapturedMessages captured) {
        this.captured = captured;
    }

    @Get
    List<CapturedMessages.Captured> list(@Nullable @QueryValue Channel channel,
                                         @Nullable @QueryValue @Size(max = 320) String to,
                                         @QueryValue(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return captured.list(channel, to, limit);
    }
}
