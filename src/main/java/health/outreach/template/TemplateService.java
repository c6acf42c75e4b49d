package health.outreach.template;

import health.outreach.common.LanguageTags;
import health.outreach.audit.AuditLog;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.contact.AttributeType;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Templates through the API: every save is validated, every update is a new immutable version. */
@Singleton
public class TemplateService {

    private final TemplateStore store;
    private final TemplateValidator validator;
    private final AuditLog audit;
    private final Jdbc jdbc;

    public TemplateService(TemplateStore store, TemplateValidator validator, AuditLog audit, Jdbc jdbc) {
        this.store = store;
        this.validator = validator;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    public List<TemplateViews.Summary> list() {
        return store.list().stream().map(t -> new TemplateViews.Summary(t.id(), t.name(), t.channel(), t.purpose(),
                t.description(), t.currentVersion(), t.libraryKey(), t.archived(), t.updatedAt())).toList();
    }

    public TemplateViews.Detail get(long id, Integer version) {
        TemplateStore.TemplateRow t = store.find(id).orElseThrow(() -> ProblemException.notFound("Template", id));
        int v = version == null ? t.currentVersion() : version;
        TemplateStore.VersionRow row = store.version(id, v)
                .orElseThrow(() -> ProblemException.notFound("Template version", id + "/" + v));
        return new TemplateViews.Detail(t.id(), t.name(), t.channel(), t.purpose(), t.description(), row.version(),
                t.currentVersion(), row.attributes(), store.variants(row.id()), t.libraryKey(), t.archived(),
                row.createdBy(), row.createdAt());
    }

    public List<TemplateViews.VersionInfo> versions(long id) {
        store.find(id).orElseThrow(() -> ProblemException.notFound("Template", id));
        return store.versions(id).stream().map(v -> new TemplateViews.VersionInfo(v.version(), v.createdBy(), v.createdAt())).toList();
    }

    @Transactional
    public TemplateViews.Detail create(TemplateViews.Form form, String actor) {
        List<TemplateVariant> variants = checked(form);
        if (store.findByName(form.name().strip()).isPresent()) {
            throw ProblemException.conflict("A template named '" + form.name().strip() + "' exists");
        }
        long id = store.createTemplate(form.name().strip(), form.channel(), form.purpose(), form.description(), null);
        int version = store.addVersion(id, attributes(form), null, actor, variants);
        audit.record("template.create", "template", id, Map.of("version", version));
        return get(id, version);
    }

    @Transactional
    public TemplateViews.Detail update(long id, TemplateViews.Form form, String actor) {
        TemplateStore.TemplateRow t = store.find(id).orElseThrow(() -> ProblemException.notFound("Template", id));
        if (t.channel() != form.channel()) {
            throw ProblemException.invalid("channel", "a template's channel cannot change; create a new template");
        }
        List<TemplateVariant> variants = checked(form);
        store.findByName(form.name().strip()).filter(o -> o.id() != id).ifPresent(o -> {
            throw ProblemException.conflict("A template named '" + form.name().strip() + "' exists");
        });
        store.updateDetails(id, form.name().strip(), form.purpose(), form.description());
        int version = store.addVersion(id, attributes(form), null, actor, variants);
        audit.record("template.update", "template", id, Map.of("version", version));
        return get(id, version);
    }

    /** Archived templates keep their versions (campaigns pinned to them still render) but cannot be picked anew. */
    @Transactional
    public void archive(long id) {
        store.find(id).orElseThrow(() -> ProblemException.notFound("Template", id));
        long active = jdbc.queryLong("SELECT COUNT(*) FROM campaign_step s JOIN campaign c ON c.id = s.campaign_id "
                + "WHERE s.template_id = ? AND c.status IN ('DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED')", id);
        if (active > 0) {
            throw ProblemException.conflict("The template is used by " + active + " step(s) of unfinished campaigns");
        }
        store.setArchived(id, true);
        audit.record("template.archive", "template", id, Map.of());
    }

    private List<TemplateVariant> checked(TemplateViews.Form form) {
        List<String> attributes = attributes(form);
        List<FieldError> errors = new ArrayList<>();
        for (String a : attributes) {
            if (a == null || !AttributeType.NAME.matcher(a).matches()) {
                errors.add(FieldError.of("attributes", "'" + a + "' is not an attribute name"));
            }
        }
        errors.addAll(validator.validate(form.channel(), form.variants(), attributes));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return canonical(form.variants());
    }

    static List<TemplateVariant> canonical(List<TemplateVariant> variants) {
        return variants.stream().map(v -> new TemplateVariant(LanguageTags.canonical(v.locale()),
                blankToNull(v.subject() == null ? null : v.subject().strip()), blankToNull(v.html()),
                blankToNull(v.text()), blankToNull(v.sms()))).toList();
    }

    private static List<String> attributes(TemplateViews.Form form) {
        return form.attributes() == null ? List.of() : form.attributes();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
