package health.outreach.webhook;

import health.outreach.announce.EventType;
import health.outreach.common.FieldError;
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
 * Webhook endpoints in the admin UI, for administrators only: register, edit, enable or disable,
 * rotate the secret (shown once, on the page that answers the POST), and the delivery log with a
 * replay button per event.
 */
@Controller("/admin/webhooks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class WebhookPages {

    private static final int LOG_ROWS = 50;
    private static final Map<String, String> DONE = Map.of("saved", "Saved.", "replayed",
            "Queued again: it goes out with the same webhook-id and body within seconds (once the endpoint is enabled).");

    private final WebhookEndpoints endpoints;
    private final DeliveryLog log;
    private final AdminPages pages;

    WebhookPages(WebhookEndpoints endpoints, DeliveryLog log, AdminPages pages) {
        this.endpoints = endpoints;
        this.log = log;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request) {
        return pages.page(request, "webhooks/list", Map.of("endpoints", endpoints.list()));
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    HttpResponse<?> newForm(HttpRequest<?> request) {
        return form(request, HttpStatus.OK, null, Map.of("url", "", "description", "", "eventTypes", List.of(), "enabled", true),
                List.of());
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id) {
        WebhookEndpoint e = endpoints.get(id);
        return form(request, HttpStatus.OK, e, values(e), List.of());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 50);
        WebhookEndpoints.Fields fields = fields(form);
        List<FieldError> errors = endpoints.problems(fields);
        if (!errors.isEmpty()) {
            return form(request, HttpStatus.UNPROCESSABLE_ENTITY, null, values(fields), errors);
        }
        return secret(request, HttpStatus.CREATED, endpoints.create(fields));
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 50);
        WebhookEndpoint e = endpoints.get(id);
        WebhookEndpoints.Fields fields = fields(form);
        List<FieldError> errors = endpoints.problems(fields);
        if (!errors.isEmpty()) {
            return form(request, HttpStatus.UNPROCESSABLE_ENTITY, e, values(fields), errors);
        }
        endpoints.update(id, fields);
        return HttpResponse.seeOther(URI.create("/admin/webhooks/" + id + "?done=saved"));
    }

    @Post(value = "/{id}/rotate", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> rotate(HttpRequest<?> request, long id) {
        return secret(request, HttpStatus.OK, endpoints.rotate(id));
    }

    @Post(value = "/{id}/deliveries/{deliveryId}/replay", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    HttpResponse<?> replay(HttpRequest<?> request, long id, long deliveryId) {
        endpoints.replay(id, deliveryId);
        return HttpResponse.seeOther(URI.create("/admin/webhooks/" + id + "?done=replayed#deliveries"));
    }

    /** The new secret on the answer to the POST itself, never in a URL or a later page. */
    private HttpResponse<?> secret(HttpRequest<?> request, HttpStatus status, WebhookEndpoints.Secret secret) {
        return pages.page(request, status, "webhooks/secret", Map.of("e", endpoints.get(secret.endpointId()), "s", secret));
    }

    private HttpResponse<?> form(HttpRequest<?> request, HttpStatus status, @Nullable WebhookEndpoint e, Map<String, Object> values,
                                 List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("v", values);
        model.put("errors", errors);
        model.put("types", java.util.Arrays.stream(EventType.values())
                .map(t -> Map.of("name", t.wireName(), "description", t.description())).toList());
        if (e != null) {
            model.put("e", e);
            model.put("deliveries", log.deliveries(e.id(), LOG_ROWS));
            model.put("attempts", log.attempts(e.id(), LOG_ROWS));
        }
        String done = request.getParameters().get("done");
        if (done != null && DONE.containsKey(done)) {
            model.put("done", DONE.get(done));
        }
        return pages.page(request, status, "webhooks/form", model);
    }

    private static WebhookEndpoints.Fields fields(Map<String, List<String>> form) {
        String url = Forms.first(form, "url");
        String description = Forms.first(form, "description");
        return new WebhookEndpoints.Fields(url == null ? "" : url.strip(), description, form.getOrDefault("eventTypes", List.of()),
                "yes".equals(Forms.first(form, "enabled")));
    }

    private static Map<String, Object> values(WebhookEndpoint e) {
        return Map.of("url", e.url(), "description", e.description() == null ? "" : e.description(), "eventTypes", e.eventTypes(),
                "enabled", e.enabled());
    }

    private static Map<String, Object> values(WebhookEndpoints.Fields f) {
        return Map.of("url", f.url(), "description", f.description() == null ? "" : f.description(), "eventTypes", f.eventTypes(),
                "enabled", f.enabled());
    }
}
