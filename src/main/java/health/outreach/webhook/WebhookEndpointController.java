package health.outreach.webhook;

import health.outreach.announce.EventType;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /api/v1/webhook-endpoints}: administrators register the systems we tell what happened. The
 * secret is in the answer to a create or a rotation only.
 */
@Controller("/api/v1/webhook-endpoints")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class WebhookEndpointController {

    private final WebhookEndpoints endpoints;
    private final DeliveryLog log;

    WebhookEndpointController(WebhookEndpoints endpoints, DeliveryLog log) {
        this.endpoints = endpoints;
        this.log = log;
    }

    @Serdeable
    record EndpointInput(@Nullable String url, @Nullable String description, @Nullable List<String> eventTypes,
                         @Nullable Boolean enabled) {
        WebhookEndpoints.Fields fields() {
            return new WebhookEndpoints.Fields(url, description, eventTypes, enabled == null || enabled);
        }
    }

    @Serdeable
    record Created(WebhookEndpoint endpoint, @Schema(description = "whsec_…: shown this once") String secret) {
    }

    @Serdeable
    record EventTypeView(String type, String description) {
    }

    @Get
    List<WebhookEndpoint> list() {
        return endpoints.list();
    }

    @Get("/event-types")
    @Operation(summary = "The event types an endpoint may subscribe to; each body is a WebhookEvent")
    List<EventTypeView> eventTypes() {
        return Arrays.stream(EventType.values()).map(t -> new EventTypeView(t.wireName(), t.description())).toList();
    }

    @Get("/{id}")
    WebhookEndpoint get(long id) {
        return endpoints.get(id);
    }

    @Post
    HttpResponse<Created> create(@Body EndpointInput body) {
        WebhookEndpoints.Secret secret = endpoints.create(body.fields());
        return HttpResponse.created(new Created(endpoints.get(secret.endpointId()), secret.secret()),
                URI.create("/api/v1/webhook-endpoints/" + secret.endpointId()));
    }

    @Put("/{id}")
    WebhookEndpoint update(long id, @Body EndpointInput body) {
        return endpoints.update(id, body.fields());
    }

    @Post("/{id}/rotate-secret")
    @Operation(summary = "A new secret; the previous one keeps signing too (two signatures) until previousSecretValidUntil")
    WebhookEndpoints.Secret rotate(long id) {
        return endpoints.rotate(id);
    }

    @Get("/{id}/deliveries")
    List<DeliveryLog.Delivery> deliveries(long id, @Nullable @QueryValue Integer limit) {
        endpoints.get(id);
        return log.deliveries(id, bounded(limit));
    }

    @Get("/{id}/attempts")
    List<DeliveryLog.Attempt> attempts(long id, @Nullable @QueryValue Integer limit) {
        endpoints.get(id);
        return log.attempts(id, bounded(limit));
    }

    @Get(value = "/{id}/deliveries/{deliveryId}/body", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The body this delivery sends, byte for byte as signed")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookEventBody.class)))
    String body(long id, long deliveryId) {
        return log.body(id, deliveryId).orElseThrow(() -> ProblemException.notFound("Delivery", deliveryId));
    }

    @Post("/{id}/deliveries/{deliveryId}/replay")
    @Operation(summary = "Sends the event again, with the same webhook-id and body")
    HttpResponse<Void> replay(long id, long deliveryId) {
        endpoints.replay(id, deliveryId);
        return HttpResponse.accepted();
    }

    private static int bounded(Integer limit) {
        return limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
    }
}
