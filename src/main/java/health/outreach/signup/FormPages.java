package health.outreach.signup;

import health.outreach.audit.AuditLog;
import health.outreach.campaign.CampaignStore;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sign-up forms in the admin UI: the list with what each brought in, and one page per form to edit
 * it (changed words become a new version), copy its embed code, open it, and see who has not
 * confirmed yet and whether its campaign takes people.
 */
@Controller("/admin/forms")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class FormPages {

    private final FormService forms;
    private final CampaignStore campaigns;
    private final AdminPages pages;

    FormPages(FormService forms, CampaignStore campaigns, AdminPages pages) {
        this.forms = forms;
        this.campaigns = campaigns;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request) {
        return pages.page(request, "forms/list", Map.of("forms", forms.list()));
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> newForm(HttpRequest<?> request) {
        return page(request, HttpStatus.OK, null, FormPageForm.blank(), List.of());
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id) {
        FormService.FormView view = forms.get(id).orElseThrow(() -> ProblemException.notFound("Sign-up form", id));
        return page(request, HttpStatus.OK, view, FormPageForm.of(view.form()), List.of());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        return save(request, null, body);
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        FormService.FormView view = forms.get(id).orElseThrow(() -> ProblemException.notFound("Sign-up form", id));
        return save(request, view, body);
    }

    private HttpResponse<?> save(HttpRequest<?> request, @Nullable FormService.FormView existing, @Nullable String body) {
        Map<String, List<String>> form = Forms.parse(body, 100);
        FormInput input = FormPageForm.parse(form);
        try {
            FormService.FormView saved = existing == null ? forms.create(input, AuditLog.currentActor())
                    : forms.update(existing.form().id(), input);
            boolean newVersion = existing != null && saved.form().version() != existing.form().version();
            return HttpResponse.seeOther(URI.create("/admin/forms/" + saved.form().id() + "?notice="
                    + (existing == null ? "created" : newVersion ? "form-version" : "saved")));
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY) {
                throw e;
            }
            return page(request, HttpStatus.UNPROCESSABLE_ENTITY, existing, input, e.errors());
        }
    }

    private HttpResponse<?> page(HttpRequest<?> request, HttpStatus status, @Nullable FormService.FormView view, FormInput input,
                                 List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("id", view == null ? "" : Long.toString(view.form().id()));
        if (view != null) {
            model.put("view", view);
            model.put("pending", forms.pending(view.form().id()));
        }
        model.put("v", FormPageForm.values(input));
        model.put("errors", errors);
        Map<String, String> byField = new HashMap<>();
        errors.forEach(e -> byField.merge(e.field() == null ? "" : e.field().replaceAll("\\[\\d+]$", ""), e.message(), (a, b) -> a + "; " + b));
        model.put("fieldErrors", byField);
        model.put("allFields", SignupForm.FIELDS);
        model.put("campaigns", campaigns.list());
        return pages.page(request, status, "forms/form", model);
    }
}
