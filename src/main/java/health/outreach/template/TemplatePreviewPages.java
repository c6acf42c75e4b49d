package health.outreach.template;

import health.outreach.common.ProblemException;
import health.outreach.contact.ContactService;
import health.outreach.contact.ContactView;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A template version rendered for one contact (their language, name and clinic) or for sample data
 * in a language, exactly as {@link TemplatePreview} renders it for the API; nothing is sent. An
 * email's HTML is shown in a sandboxed frame served by {@link #frame}, never inlined in the admin
 * page: it is a coordinator's markup, and the admin page's policy must not have to trust it.
 */
@Controller("/admin/templates/{id}/preview")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class TemplatePreviewPages {

    private final TemplateService templates;
    private final TemplatePreview preview;
    private final AdminPages pages;

    private final ContactService contacts;

    TemplatePreviewPages(TemplateService templates, TemplatePreview preview, ContactService contacts, AdminPages pages) {
        this.contacts = contacts;
        this.templates = templates;
        this.preview = preview;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request, long id, @Nullable @QueryValue String contactId,
                         @Nullable @QueryValue String locale, @Nullable @QueryValue String version,
                         @Nullable @QueryValue String testError, @Nullable @QueryValue String to,
                         @Nullable @QueryValue String who) {
        // The contact picker: a name, email or phone finds the person; one match is previewed at once.
        List<ContactView> matches = List.of();
        if (who != null && !who.isBlank() && contactId == null) {
            matches = contacts.page(who.strip().length() > 100 ? who.strip().substring(0, 100) : who.strip(), 0, 10);
            if (matches.size() == 1) {
                contactId = Long.toString(matches.get(0).id());
            }
        }
        TemplateViews.PreviewRequest wanted = wanted(contactId, locale, version);
        TemplateViews.Detail t = templates.get(id, wanted.version());
        TemplateViews.Preview p = preview.preview(id, wanted);
        Map<String, Object> model = new HashMap<>();
        model.put("t", t);
        model.put("p", p);
        model.put("links", new LinkedHashSet<>(p.links())); // the HTML and text parts repeat the same links
        model.put("contactId", wanted.contactId() == null ? "" : wanted.contactId().toString());
        model.put("who", who == null ? "" : who.length() > 100 ? who.substring(0, 100) : who);
        model.put("matches", matches.size() == 1 ? List.of() : matches);
        model.put("searched", who != null && !who.isBlank() && matches.isEmpty());
        model.put("contactName", wanted.contactId() == null ? "" : contacts.get(wanted.contactId())
                .map(c -> (nullToEmpty(c.firstName()) + " " + nullToEmpty(c.lastName())).strip()).orElse(""));
        model.put("locale", wanted.locale() == null ? "" : wanted.locale());
        // A refused test send comes back here with its reason at the field and the address as typed.
        model.put("testError", testError == null ? "" : testError.length() > 200 ? testError.substring(0, 200) : testError);
        model.put("testTo", to == null ? "" : to.length() > 320 ? to.substring(0, 320) : to);
        // The frame asks for the version this page rendered, not "current": a save in between must not mix them.
        model.put("frameSrc", "/admin/templates/" + id + "/preview/frame"
                + query(new TemplateViews.PreviewRequest(wanted.contactId(), wanted.locale(), p.version())));
        return pages.page(request, "templates/preview", model);
    }

    /** The rendered HTML part as a document of its own, for the preview page's sandboxed iframe. */
    @Get(value = "/frame", produces = MediaType.TEXT_HTML)
    HttpResponse<?> frame(long id, @Nullable @QueryValue String contactId, @Nullable @QueryValue String locale,
                          @Nullable @QueryValue String version) {
        TemplateViews.Preview p = preview.preview(id, wanted(contactId, locale, version));
        if (p.html() == null) {
            throw ProblemException.notFound("HTML part of template", id);
        }
        return AdminPages.sandboxed(p.html(), true); // the CSP's sandbox gives it an opaque origin even opened on its own
    }

    private static TemplateViews.PreviewRequest wanted(String contactId, String locale, String version) {
        return new TemplateViews.PreviewRequest(PageParams.contactId(contactId), PageParams.locale(locale),
                PageParams.version(version));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String query(TemplateViews.PreviewRequest wanted) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("contactId", wanted.contactId());
        params.put("locale", wanted.locale());
        params.put("version", wanted.version());
        String query = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().toString(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }
}
