package health.outreach.template;

import health.outreach.audit.AuditLog;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;

import java.net.URI;
import java.util.List;

@Controller("/api/v1/templates")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class TemplateController {

    private final TemplateService templates;
    private final TemplatePreview preview;

    TemplateController(TemplateService templates, TemplatePreview preview) {
        this.templates = templates;
        this.preview = preview;
    }

    @Get
    List<TemplateViews.Summary> list() {
        return templates.list();
    }

    @Get("/{id}")
    TemplateViews.Detail get(long id) {
        return templates.get(id, null);
    }

    @Get("/{id}/versions")
    List<TemplateViews.VersionInfo> versions(long id) {
        return templates.versions(id);
    }

    @Get("/{id}/versions/{version}")
    TemplateViews.Detail version(long id, int version) {
        return templates.get(id, version);
    }

    @Post
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<TemplateViews.Detail> create(@Valid @Body TemplateViews.Form form) {
        TemplateViews.Detail created = templates.create(form, AuditLog.currentActor());
        return HttpResponse.created(created, URI.create("/api/v1/templates/" + created.id()));
    }

    /** Every update is a new immutable version; earlier versions stay readable and pinned campaigns keep theirs. */
    @Put("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    TemplateViews.Detail update(long id, @Valid @Body TemplateViews.Form form) {
        return templates.update(id, form, AuditLog.currentActor());
    }

    @Delete("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<Void> archive(long id) {
        templates.archive(id);
        return HttpResponse.noContent();
    }

    @Post("/{id}/preview")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    TemplateViews.Preview preview(long id, @Valid @Nullable @Body TemplateViews.PreviewRequest request) {
        return preview.preview(id, request == null ? new TemplateViews.PreviewRequest(null, null, null) : request);
    }
}
