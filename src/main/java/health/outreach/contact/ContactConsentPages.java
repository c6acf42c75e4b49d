package health.outreach.contact;

import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
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
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /admin/contacts/{id}/consents}: staff record a consent change from the contact's page.
 * The ledger decides (and audits) as it does for the API; what it refuses (re-opting in someone who
 * opted out without evidence, a channel without an address) comes back as the form's error.
 */
@Controller("/admin/contacts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class ContactConsentPages {

    /** The API's limits (ContactController.ConsentRequest). */
    private static final int MAX_SOURCE = 100;
    private static final int MAX_TEXT = 4000;

    private final ContactService contacts;
    private final ConsentLedger ledger;
    private final ContactPageModel model;
    private final AdminPages pages;
    private final Clock clock;

    ContactConsentPages(ContactService contacts, ConsentLedger ledger, ContactPageModel model, AdminPages pages, Clock clock) {
        this.contacts = contacts;
        this.ledger = ledger;
        this.model = model;
        this.pages = pages;
        this.clock = clock;
    }

    @Post(value = "/{id}/consents", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> record(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 20);
        ContactView c = contacts.get(id).orElseThrow(() -> ProblemException.notFound("Contact", id));
        Map<String, String> v = new LinkedHashMap<>();
        ContactPageModel.CONSENT_FIELDS.forEach(f -> {
            String value = Forms.first(form, f);
            v.put(f, value == null ? "" : value.strip());
        });
        List<FieldError> errors = new ArrayList<>();
        Channel channel = choice(Channel.class, v.get("channel"));
        if (channel == null) {
            errors.add(FieldError.of("channel", "choose email or SMS"));
        }
        ConsentAction action = choice(ConsentAction.class, v.get("action"));
        if (action == null) {
            errors.add(FieldError.of("action", "choose one of OPT_IN, CONFIRM, PENDING, OPT_OUT"));
        }
        if (v.get("source").isEmpty()) {
            errors.add(FieldError.of("source", "say where the consent came from (a phone call, a signed form, ...)"));
        } else if (v.get("source").length() > MAX_SOURCE) {
            errors.add(FieldError.of("source", "at most " + MAX_SOURCE + " characters"));
        }
        // An opt-in is only proof of consent together with the words the person agreed to.
        if (action == ConsentAction.OPT_IN && v.get("wording").isEmpty()) {
            errors.add(FieldError.of("wording", "an opt-in needs the wording the person agreed to"));
        }
        for (String field : List.of("wording", "evidence")) {
            if (v.get(field).length() > MAX_TEXT) {
                errors.add(FieldError.of(field, "at most " + MAX_TEXT + " characters"));
            }
        }
        if (errors.isEmpty()) {
            try {
                // Staff may take an opted-out person back in, as through the API, but only with evidence
                // of the person's own request: the ledger insists on it.
                ledger.record(id, new ConsentChange(channel, action, v.get("source"), blankToNull(v.get("wording")),
                        blankToNull(v.get("evidence")), AuditLog.currentActor(), null, clock.instant(), true));
                return HttpResponse.seeOther(URI.create("/admin/contacts/" + id + "?notice=consent"));
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY && e.status() != HttpStatus.CONFLICT) {
                    throw e;
                }
                errors.addAll(e.errors().isEmpty() ? List.of(FieldError.of(null, e.getMessage())) : e.errors());
                return model.detail(request, e.status(), c, v, errors);
            }
        }
        return model.detail(request, HttpStatus.UNPROCESSABLE_ENTITY, c, v, errors);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
