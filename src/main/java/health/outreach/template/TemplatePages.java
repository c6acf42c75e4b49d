package health.outreach.template;

import health.outreach.audit.AuditLog;
import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import health.outreach.web.Validation;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Templates in the admin UI: the list, the page of one version with each language's reading grade
 * and SMS cost, and the form whose every save is a new immutable version. Everything goes through
 * {@link TemplateService} and {@link TemplatePreview}, the same sandbox, checks and audit as the
 * API. The preview pages are {@link TemplatePreviewPages}.
 */
@Controller("/admin/templates")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class TemplatePages {

    private final TemplateService templates;
    private final TemplatePreview preview;
    private final AdminPages pages;
    private final Validation validation;

    TemplatePages(TemplateService templates, TemplatePreview preview, AdminPages pages, Validation validation) {
        this.templates = templates;
        this.preview = preview;
        this.pages = pages;
        this.validation = validation;
    }

    /** {@code ?q=} finds names and descriptions; {@code ?channel=} and {@code ?status=active|archived} narrow the list. */
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String q, @Nullable @QueryValue String channel,
                         @Nullable @QueryValue String status) {
        String words = q == null ? "" : q.strip().toLowerCase(java.util.Locale.ROOT);
        List<TemplateViews.Summary> all = templates.list();
        List<TemplateViews.Summary> shown = all.stream()
                .filter(t -> words.isEmpty() || t.name().toLowerCase(java.util.Locale.ROOT).contains(words)
                        || (t.description() != null && t.description().toLowerCase(java.util.Locale.ROOT).contains(words)))
                .filter(t -> channel == null || channel.isEmpty() || t.channel().name().equalsIgnoreCase(channel))
                .filter(t -> status == null || status.isEmpty() || (status.equals("archived") == t.archived()))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("templates", shown);
        model.put("all", all);
        model.put("q", q == null ? "" : q.length() > 100 ? q.substring(0, 100) : q);
        model.put("channel", channel == null ? "" : channel.toUpperCase(java.util.Locale.ROOT));
        model.put("status", status == null ? "" : status);
        return pages.page(request, "templates/list", model);
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> newForm(HttpRequest<?> request, @Nullable @QueryValue String channel, @Nullable @QueryValue String from) {
        Long source = PageParams.id(from);
        if (source != null) {
            return form(request, HttpStatus.OK, null, TemplatePageForm.copyOf(templates.get(source, null)), List.of());
        }
        return form(request, HttpStatus.OK, null, TemplatePageForm.blank("SMS".equals(channel) ? Channel.SMS : Channel.EMAIL), List.of());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        return save(request, null, body);
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id, @Nullable @QueryValue String version) {
        TemplateViews.Detail t = templates.get(id, PageParams.version(version));
        // Each language as a preview with sample data renders it (reading grade, SMS cost, warnings), or why it did not.
        Map<String, TemplateViews.Preview> checks = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (TemplateVariant v : t.variants()) {
            try {
                checks.put(v.locale(), preview.preview(id, new TemplateViews.PreviewRequest(null, v.locale(), t.version())));
            } catch (ProblemException e) {
                // A saved version passed the same checks, so this is rare (a shared partial or a program
                // setting changed since); the page still shows the source, and says why this language did not render.
                problems.put(v.locale(), e.getMessage());
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("t", t);
        List<TemplateViews.VersionInfo> versions = new ArrayList<>(templates.versions(id));
        Collections.reverse(versions); // newest first
        model.put("versions", versions);
        model.put("checks", checks);
        model.put("problems", problems);
        return pages.page(request, "templates/detail", model);
    }

    /** The form starts from the current version, or from {@code ?version=N} to bring an old one back. */
    @Get(value = "/{id}/edit", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> edit(HttpRequest<?> request, long id, @Nullable @QueryValue String version) {
        return form(request, HttpStatus.OK, id, TemplatePageForm.of(templates.get(id, PageParams.version(version))), List.of());
    }

    /** Saves the form as the template's next version; earlier versions and the campaigns pinned to them are untouched. */
    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        return save(request, id, body);
    }

    /** Archiving cannot be undone from the UI: the page says what it does and what keeps working. */
    @Get(value = "/{id}/archive", produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> confirmArchive(HttpRequest<?> request, long id) {
        return pages.page(request, "templates/confirm-archive", Map.of("t", templates.get(id, null)));
    }

    @Post(value = "/{id}/archive", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    @Secured({Roles.ADMIN, Roles.COORDINATOR})
    HttpResponse<?> archive(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 10);
        if (!"yes".equals(Forms.first(form, "confirmed"))) {
            return HttpResponse.seeOther(URI.create("/admin/templates/" + id + "/archive"));
        }
        templates.archive(id);
        return HttpResponse.seeOther(URI.create("/admin/templates/" + id + "?notice=archived"));
    }

    private HttpResponse<?> save(HttpRequest<?> request, @Nullable Long id, @Nullable String body) {
        Map<String, List<String>> form = Forms.parse(body, 500);
        Channel saved = id == null ? null : templates.get(id, null).channel();
        boolean addVariant = Forms.first(form, "addVariant") != null;
        TemplatePageForm.Parsed parsed = TemplatePageForm.parse(form, saved, addVariant);
        // "Add a language" and "Show this channel's parts" only draw the form again, as typed (no script may do it).
        if (addVariant || Forms.first(form, "redraw") != null) {
            return form(request, HttpStatus.OK, id, parsed.values(), List.of());
        }
        // Everything wrong at once: what could not be read, the form's constraints (a field the
        // parse already named is not named twice), then the service's sandbox and render checks.
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        List<FieldError> constraints = validation.check(parsed.form()).stream()
                .filter(c -> parsed.errors().stream().noneMatch(p -> Objects.equals(p.field(), c.field()))).toList();
        errors.addAll(constraints);
        if (errors.isEmpty()) {
            try {
                TemplateViews.Detail t = id == null
                        ? templates.create(parsed.form(), AuditLog.currentActor())
                        : templates.update(id, parsed.form(), AuditLog.currentActor());
                return HttpResponse.seeOther(URI.create("/admin/templates/" + t.id() + "?notice=" + (id == null ? "created" : "version")));
            } catch (ProblemException e) {
                if (e.status() == HttpStatus.CONFLICT) {
                    // The only conflict a save has is a name in use: the person fixes it here, with their text kept.
                    errors.add(FieldError.of("name", e.getMessage()));
                } else if (e.status() == HttpStatus.UNPROCESSABLE_ENTITY) {
                    errors.addAll(e.errors());
                } else {
                    throw e;
                }
            }
        }
        return form(request, HttpStatus.UNPROCESSABLE_ENTITY, id, parsed.values(), errors);
    }

    private HttpResponse<?> form(HttpRequest<?> request, HttpStatus status, @Nullable Long id, Map<String, Object> values,
                                 List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("id", id == null ? "" : id.toString());
        model.put("v", values);
        model.put("errors", errors);
        model.put("maxVariants", TemplatePageForm.MAX_VARIANTS);
        model.put("library", id == null ? null : templates.get(id, null).libraryKey());
        // The purposes already in use (the library's among them), offered as suggestions; any short word is accepted.
        model.put("purposes", templates.list().stream().map(TemplateViews.Summary::purpose).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new)));
        return pages.page(request, status, "templates/form", model);
    }
}
