package health.outreach.campaign;

import health.outreach.audit.AuditLog;
import health.outreach.delivery.UnknownOutcomes;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.util.List;
import java.util.Map;

@Controller("/api/v1/campaigns")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class CampaignController {

    private final CampaignService campaigns;

    CampaignController(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @Get
    List<CampaignViews.View> list() {
        return campaigns.list();
    }

    /** The campaign with live progress: message counts by status, and enrollment counters. */
    @Get("/{id}")
    CampaignViews.View get(long id) {
        return campaigns.get(id);
    }

    @Get("/{id}/messages")
    List<CampaignViews.MessageRow> messages(long id,
                                            @Nullable @QueryValue @Pattern(regexp = "(?i)PENDING|SENDING|SENT|DELIVERED|FAILED|BOUNCED|UNKNOWN|SKIPPED|CANCELLED") String status,
                                            @QueryValue(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                                            @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int size) {
        return campaigns.messages(id, status, page * size, size);
    }

    @Post
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<CampaignViews.View> create(@Valid @Body CampaignViews.Form form) {
        CampaignViews.View view = campaigns.create(form, AuditLog.currentActor());
        return HttpResponse.created(view, URI.create("/api/v1/campaigns/" + view.id()));
    }

    @Put("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    CampaignViews.View update(long id, @Valid @Body CampaignViews.Form form) {
        return campaigns.update(id, form);
    }

    @Delete("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<Void> delete(long id) {
        campaigns.delete(id);
        return HttpResponse.noContent();
    }

    @Post("/{id}/schedule")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    CampaignViews.View schedule(long id) {
        return campaigns.act(id, "schedule");
    }

    @Post("/{id}/pause")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    CampaignViews.View pause(long id) {
        return campaigns.act(id, "pause");
    }

    @Post("/{id}/resume")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    CampaignViews.View resume(long id) {
        return campaigns.act(id, "resume");
    }

    @Post("/{id}/cancel")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    CampaignViews.View cancel(long id) {
        return campaigns.act(id, "cancel");
    }

    @Post("/{id}/retry-failed")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    Map<String, Long> retryFailed(long id) {
        return campaigns.retryFailed(id);
    }

    /**
     * Sends again the messages whose outcome is unknown (all of the campaign's, or those listed),
     * accepting that the person may get them twice: each is flagged as a possible duplicate.
     */
    @Post("/{id}/unknown/resend")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    Map<String, Integer> resendUnknown(long id, @Nullable @Body MessageSelection body) {
        return Map.of("resent", campaigns.resolveUnknown(id, body == null ? List.of() : body.messageIds(),
                UnknownOutcomes.Resolution.RESEND));
    }

    /** Counts the messages whose outcome is unknown (all, or those listed) as sent. */
    @Post("/{id}/unknown/mark-sent")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    Map<String, Integer> markUnknownSent(long id, @Nullable @Body MessageSelection body) {
        return Map.of("markedSent", campaigns.resolveUnknown(id, body == null ? List.of() : body.messageIds(),
                UnknownOutcomes.Resolution.MARK_SENT));
    }

    @io.micronaut.serde.annotation.Serdeable
    record MessageSelection(@Nullable List<Long> messageIds) {
        public List<Long> messageIds() {
            return messageIds == null ? List.of() : messageIds;
        }
    }
}
