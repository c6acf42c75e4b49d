package health.outreach.contact;

import health.outreach.common.Zones;
import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.program.ProgramService;
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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Contacts in the admin UI: search and page through them, one contact's page (fields, consent and its
 * ledger, recent activity), the form to create or edit one, and erasure. Everything goes through
 * {@link ContactService}, so the page keeps the API's rules, merging and audit. Consent changes are
 * in {@link ContactConsentPages}, the CSV upload in {@link ContactImportPages}.
 */
@Controller("/admin/contacts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ContactPages {

    static final int PER_PAGE = 50;
    /** Deep pages cost an OFFSET scan; past this a narrower search is the answer. */
    private static final int MAX_PAGE = 20_000;
    private static final int MAX_QUERY = 200;

    private final ContactService contacts;
    private final AttributeDefinitions attributeDefinitions;
    private final ContactPageModel model;
    private final ProgramService program;
    private final AdminPages pages;

    ContactPages(ContactService contacts, AttributeDefinitions attributeDefinitions, ContactPageModel model,
                 ProgramService program, AdminPages pages) {
        this.contacts = contacts;
        this.attributeDefinitions = attributeDefinitions;
        this.model = model;
        this.program = program;
        this.pages = pages;
    }

    /** {@code ?q=} searches name prefixes, email prefixes and phone digits; {@code ?page=} counts from 0. */
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String page) {
        String query = q == null ? "" : q.strip();
        if (query.length() > MAX_QUERY) {
            query = query.substring(0, MAX_QUERY);
        }
        long total = contacts.count(query);
        int last = (int) Math.min(MAX_PAGE, Math.max(0, (total - 1) / PER_PAGE));
        int p = Math.min(pageNumber(page), last);
        Map<String, Object> m = new HashMap<>();
        // Consent is keyed by Channel; the page reads it by name.
        m.put("contacts", contacts.page(query, (long) p * PER_PAGE, PER_PAGE).stream()
                .map(c -> Map.of("c", c, "email", c.consent().get(Channel.EMAIL).name(), "sms", c.consent().get(Channel.SMS).name()))
                .toList());
        m.put("q", query);
        m.put("page", p);
        m.put("lastPage", last);
        m.put("total", total);
        return pages.page(request, "contacts/list", m);
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> newForm(HttpRequest<?> request) {
        return form(request, HttpStatus.OK, null, ContactPageForm.blank(program.current().defaultLocale()), List.of());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        return save(request, null, body);
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id) {
        return model.detail(request, HttpStatus.OK, contact(id), ContactPageModel.blankConsent(), List.of());
    }

    @Get(value = "/{id}/edit", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> edit(HttpRequest<?> request, long id) {
        ContactView c = contact(id);
        if (c.erased()) {
            return HttpResponse.seeOther(URI.create("/admin/contacts/" + id));
        }
        return form(request, HttpStatus.OK, c, ContactPageForm.of(c), List.of());
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        return save(request, id, body);
    }

    /**
     * GDPR erasure (Art. 17): personal data goes, the row stays as a tombstone, the addresses stay
     * suppressed. It cannot be undone, so the form also needs its "I understand" box ticked.
     */
    @Post(value = "/{id}/erase", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> erase(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        ContactView c = contact(id);
        if (!"yes".equals(Forms.first(form, "confirm"))) {
            return model.detail(request, HttpStatus.UNPROCESSABLE_ENTITY, c, ContactPageModel.blankConsent(), List.of(),
                    List.of(FieldError.of("confirm", "tick the box to confirm that this person asked to be erased")));
        }
        contacts.erase(id);
        return HttpResponse.seeOther(URI.create("/admin/contacts/" + id + "?notice=erased"));
    }

    private HttpResponse<?> save(HttpRequest<?> request, @Nullable Long id, @Nullable String body) {
        Map<String, List<String>> form = Forms.parse(body, 30);
        ContactView existing = id == null ? null : contact(id);
        ContactPageForm.Parsed parsed = ContactPageForm.parse(form);
        ContactInput input = parsed.input(existing);
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        if (errors.isEmpty()) {
            try {
                if (id == null) {
                    ContactService.Saved saved = contacts.createOrMerge(input);
                    return HttpResponse.seeOther(URI.create("/admin/contacts/" + saved.contact().id()
                            + "?notice=" + (saved.created() ? "created" : "merged")));
                }
                contacts.replace(id, input);
                return HttpResponse.seeOther(URI.create("/admin/contacts/" + id + "?notice=saved"));
            } catch (ProblemException e) {
                // A wrong field (422) or a clash with another contact (409) is fixed in the form.
                if (e.status() != HttpStatus.UNPROCESSABLE_ENTITY && e.status() != HttpStatus.CONFLICT) {
                    throw e;
                }
                errors.addAll(e.errors().isEmpty() ? List.of(FieldError.of(null, e.getMessage())) : e.errors());
                return form(request, e.status(), existing, parsed.values(), errors);
            }
        }
        // The form's own errors stopped it before the service: add the service's field checks, so
        // that every mistake is listed at once (nothing is written by this).
        errors.addAll(contacts.normalizer().normalize(input, attributeDefinitions::typeOf).errors());
        return form(request, HttpStatus.UNPROCESSABLE_ENTITY, existing, parsed.values(), errors);
    }

    private HttpResponse<?> form(HttpRequest<?> request, HttpStatus status, @Nullable ContactView existing,
                                 Map<String, String> values, List<FieldError> errors) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", existing == null ? "" : Long.toString(existing.id()));
        m.put("externalId", existing == null || existing.externalId() == null ? "" : existing.externalId());
        m.put("clinic", existing == null || existing.clinic() == null ? "" : existing.clinic());
        m.put("v", values);
        m.put("errors", errors);
        m.put("zones", Zones.REGIONS);
        return pages.page(request, status, "contacts/form", m);
    }

    private ContactView contact(long id) {
        return contacts.get(id).orElseThrow(() -> ProblemException.notFound("Contact", id));
    }

    private static int pageNumber(@Nullable String page) {
        try {
            return page == null ? 0 : Math.max(0, Integer.parseInt(page.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
