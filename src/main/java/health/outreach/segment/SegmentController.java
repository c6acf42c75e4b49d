package health.outreach.segment;

import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.util.List;
import java.util.Map;

@Controller("/api/v1/segments")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class SegmentController {

    private final SegmentService segments;

    SegmentController(SegmentService segments) {
        this.segments = segments;
    }

    @Serdeable
    record SegmentForm(@NotBlank @Size(max = 200) String name,
                       @Nullable @Size(max = 2000) String description,
                       @Nullable SegmentRule rule) {
    }

    @Get
    List<SegmentView> list() {
        return segments.list();
    }

    @Get("/{id}")
    SegmentView get(long id) {
        return segments.get(id).orElseThrow(() -> ProblemException.notFound("Segment", id));
    }

    @Get("/{id}/count")
    Map<String, Long> count(long id) {
        return Map.of("count", segments.count(id));
    }

    @Post
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<SegmentView> create(@Valid @Body SegmentForm form) {
        SegmentView view = segments.create(form.name(), form.description(), form.rule(), AuditLog.currentActor());
        return HttpResponse.created(view, URI.create("/api/v1/segments/" + view.id()));
    }

    @Put("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    SegmentView update(long id, @Valid @Body SegmentForm form) {
        return segments.update(id, form.name(), form.description(), form.rule());
    }

    @Delete("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<Void> delete(long id) {
        segments.delete(id);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }
}
