package health.outreach.signup;

import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.util.List;

/** {@code /api/v1/forms}: sign-up forms, what each brought in, and who has not confirmed yet. */
@Controller("/api/v1/forms")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class FormController {

    private final FormService forms;

    FormController(FormService forms) {
        this.forms = forms;
    }

    @Get
    List<FormService.FormView> list() {
        return forms.list();
    }

    @Get("/{id}")
    FormService.FormView get(long id) {
        return forms.get(id).orElseThrow(() -> ProblemException.notFound("Sign-up form", id));
    }

    /** Requests not confirmed yet, oldest first, with when they lapse. */
    @Get("/{id}/pending")
    List<SignupRequests.Pending> pending(long id) {
        get(id);
        return forms.pending(id);
    }

    @Post
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<FormService.FormView> create(@Nullable @Body FormInput input) {
        FormService.FormView view = forms.create(input, AuditLog.currentActor());
        return HttpResponse.created(view, URI.create("/api/v1/forms/" + view.form().id()));
    }

    /** Changed words are saved as a new version; requests keep the version they were made from. */
    @Put("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    FormService.FormView update(long id, @Nullable @Body FormInput input) {
        return forms.update(id, input);
    }
}
