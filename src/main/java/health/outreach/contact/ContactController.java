package health.outreach.contact;

import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Controller("/api/v1/contacts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ContactController {

    private final ContactService contacts;
    private final ConsentLedger ledger;
    private final Clock clock;

    ContactController(ContactService contacts, ConsentLedger ledger, Clock clock) {
        this.contacts = contacts;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Get
    Page<ContactView> list(@Nullable @QueryValue @Size(max = 200) String q,
                           @QueryValue(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                           @QueryValue(defaultValue = "50") @Min(1) @Max(500) int size) {
        Pageable pageable = Pageable.from(page, size);
        return Page.of(contacts.page(q, pageable.getOffset(), size), pageable, contacts.count(q));
    }

    @Get("/{id}")
    ContactView get(long id) {
        return contacts.get(id).orElseThrow(() -> ProblemException.notFound("Contact", id));
    }

    @Post
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<ContactView> create(@Body ContactInput input) {
        ContactService.Saved saved = contacts.createOrMerge(input);
        URI location = URI.create("/api/v1/contacts/" + saved.contact().id());
        return saved.created()
                ? HttpResponse.created(saved.contact(), location)
                : HttpResponse.ok(saved.contact()).header("Location", location.toString());
    }

    @Put("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    ContactView replace(long id, @Body ContactInput input) {
        return contacts.replace(id, input);
    }

    /** Erases the person's data (GDPR Art. 17); suppression and aggregate counts remain. */
    @Delete("/{id}")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<Void> erase(long id) {
        contacts.erase(id);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Get("/{id}/consents")
    List<ConsentEntry> consents(long id) {
        contacts.get(id).orElseThrow(() -> ProblemException.notFound("Contact", id));
        return ledger.history(id);
    }

    @Serdeable
    record ConsentRequest(@NotNull Channel channel,
                          @NotNull ConsentAction action,
                          @NotBlank @Size(max = 100) String source,
                          @Nullable @Size(max = 4000) String wording,
                          @Nullable @Size(max = 4000) String evidence,
                          @Nullable @PastOrPresent Instant occurredAt) {
    }

    @Post("/{id}/consents")
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<ConsentEntry> recordConsent(long id, @Valid @Body ConsentRequest request) {
        Instant occurredAt = request.occurredAt() == null ? clock.instant() : request.occurredAt();
        ConsentEntry entry = ledger.record(id, new ConsentChange(request.channel(), request.action(), request.source(),
                request.wording(), request.evidence(), AuditLog.currentActor(), null, occurredAt, true));
        return HttpResponse.created(entry);
    }
}
