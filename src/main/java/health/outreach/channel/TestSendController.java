package health.outreach.channel;

import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.template.TemplateViews;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Test sends of a template, from the API and from the template's preview page. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class TestSendController {

    private final TestSends sends;
    private final AdminPages pages;

    TestSendController(TestSends sends, AdminPages pages) {
        this.sends = sends;
        this.pages = pages;
    }

    /** Whose data to render (a contact, or sample data in a language), which version, and where to. */
    @Serdeable
    record TestSend(@NotBlank @Size(max = 320) String to, @Nullable @Min(1) Long contactId, @Nullable @Size(max = 35) String locale,
                    @Nullable @Min(1) Integer version) {
    }

    @Serdeable
    record Sent(String to) {
    }

    @Post(value = "/api/v1/templates/{id}/test-send", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<Sent> api(long id, @Valid @Body TestSend body) {
        String to = sends.send(id, new TemplateViews.PreviewRequest(body.contactId(), body.locale(), body.version()), body.to(),
                AuditLog.currentActor());
        return HttpResponse.accepted().body(new Sent(to));
    }

    @Post(value = "/admin/templates/{id}/test-send", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 20);
        Long contactId = number(Forms.first(form, "contactId"));
        Integer version = number(Forms.first(form, "version")) == null ? null : number(Forms.first(form, "version")).intValue();
        String locale = Forms.first(form, "locale");
        String back = "/admin/templates/" + id + "/preview?" + (contactId == null ? "" : "contactId=" + contactId + "&")
                + (version == null ? "" : "version=" + version + "&")
                + (locale == null || locale.isBlank() ? "" : "locale=" + URLEncoder.encode(locale.strip(), StandardCharsets.UTF_8) + "&");
        try {
            sends.send(id, new TemplateViews.PreviewRequest(contactId, locale == null || locale.isBlank() ? null : locale.strip(), version),
                    Forms.first(form, "to"), AuditLog.currentActor());
            return HttpResponse.seeOther(URI.create(back + "notice=test-sent"));
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY && e.status() != HttpStatus.TOO_MANY_REQUESTS) {
                throw e;
            }
            String message = e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message();
            return HttpResponse.seeOther(URI.create(back + "testError=" + URLEncoder.encode(message, StandardCharsets.UTF_8)
                    + "&to=" + URLEncoder.encode(String.valueOf(Forms.first(form, "to")), StandardCharsets.UTF_8)));
        }
    }

    private static Long number(String s) {
        try {
            return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
