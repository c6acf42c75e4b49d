package health.outreach.signup;

import health.outreach.audit.AuditLog;
import health.outreach.campaign.CampaignStatus;
import health.outreach.campaign.CampaignStore;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.config.OutreachConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating and editing sign-up forms (API and admin pages alike), and what each has brought in. */
@Singleton
public class FormService {

    /** A form with where it lives, how to embed it, what it has done and whether its campaign takes people. */
    @Serdeable
    public record FormView(SignupForm form, String publicUrl, String embedUrl, String embedCode,
                           SignupRequests.Counts counts, @Nullable String campaignName, @Nullable String campaignStatus,
                           @Nullable String campaignWarning, List<String> enrollmentProblems) {
    }

    private final FormStore store;
    private final SignupRequests requests;
    private final CampaignStore campaigns;
    private final AuditLog audit;
    private final Clock clock;
    private final String baseUrl;

    FormService(FormStore store, SignupRequests requests, CampaignStore campaigns, AuditLog audit, Clock clock,
                OutreachConfig config) {
        this.store = store;
        this.requests = requests;
        this.campaigns = campaigns;
        this.audit = audit;
        this.clock = clock;
        this.baseUrl = config.baseUrl();
    }

    public List<FormView> list() {
        return store.list().stream().map(this::view).toList();
    }

    public Optional<FormView> get(long id) {
        return store.byId(id).map(this::view);
    }

    Optional<SignupForm> byKey(String key) {
        return store.byKey(key);
    }

    Optional<SignupForm> byId(long id) {
        return store.byId(id);
    }

    /** The form a keyword (any case) starts, with the keyword's language. */
    Optional<Map.Entry<SignupForm, String>> byKeyword(String keyword) {
        return store.byKeyword(keyword.toUpperCase(java.util.Locale.ROOT));
    }

    /** The words a form showed at a version; the current words when that version is unknown. */
    Map<String, FormText> textsAt(SignupForm form, int version) {
        Map<String, FormText> texts = version == form.version() ? form.texts() : store.texts(form.id(), version);
        return texts.isEmpty() ? form.texts() : texts;
    }

    List<SignupRequests.Pending> pending(long formId) {
        return requests.pending(formId, 200);
    }

    @Transactional
    public FormView create(FormInput input, String actor) {
        FormRules.Valid f = valid(input, 0);
        long id = saveUnique(() -> store.insert(f, actor, clock.instant()));
        audit.record("signup-form.create", "signup_form", id, Map.of("key", f.key()));
        return get(id).orElseThrow();
    }

    /** Changed words make a new version (requests remember the version they saw); everything else changes in place. */
    @Transactional
    public FormView update(long id, FormInput input) {
        SignupForm current = store.byId(id).orElseThrow(() -> ProblemException.notFound("Sign-up form", id));
        FormRules.Valid f = valid(input, id);
        Instant now = clock.instant();
        int version = current.version();
        if (!f.texts().equals(current.texts())) {
            version++;
            store.insertTexts(id, version, f.texts(), now);
        }
        int saved = version;
        saveUnique(() -> {
            store.update(id, f, saved, now);
            return id;
        });
        audit.record("signup-form.update", "signup_form", id, Map.of("key", f.key(), "version", version));
        return get(id).orElseThrow();
    }

    private FormRules.Valid valid(FormInput input, long id) {
        if (input == null) {
            throw ProblemException.invalid("body", "a form is required");
        }
        FormRules.Result result = FormRules.check(input);
        List<FieldError> errors = new ArrayList<>(result.errors());
        FormRules.Valid f = result.form();
        if (f.campaignId() != null && campaigns.find(f.campaignId()).isEmpty()) {
            errors.add(FieldError.of("campaignId", "no campaign has the id " + f.campaignId()));
        }
        store.keywordsTakenElsewhere(f.keywords().keySet(), id).forEach((keyword, form) ->
                errors.add(FieldError.of("keywords." + f.keywords().get(keyword), "'" + keyword + "' is the keyword of the form '" + form + "'")));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return f;
    }

    private long saveUnique(java.util.function.LongSupplier write) {
        try {
            return write.getAsLong();
        } catch (Jdbc.DataAccessFailure e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.invalid("key", "another form already has that key (or one of its keywords)");
            }
            throw e;
        }
    }

    private FormView view(SignupForm f) {
        String url = baseUrl + "/join/" + f.key();
        String embed = url + "?embed=1";
        String code = "<iframe src=\"" + embed + "\" title=\"" + f.text("en").title().replace("\"", "&quot;")
                + "\" style=\"width:100%;max-width:36rem;height:48rem;border:0\"></iframe>";
        String name = null;
        String status = null;
        String warning = null;
        if (f.campaignId() != null) {
            var campaign = campaigns.find(f.campaignId());
            name = campaign.map(CampaignStore.CampaignRow::name).orElse(null);
            status = campaign.map(c -> c.status().name()).orElse(null);
            if (campaign.isEmpty()) {
                warning = "Campaign " + f.campaignId() + " no longer exists: people who confirm are not enrolled anywhere.";
            } else if (campaign.get().status() != CampaignStatus.RUNNING && campaign.get().status() != CampaignStatus.PAUSED) {
                warning = "The campaign is " + status + ": people who confirm now are not enrolled (it must be running).";
            }
        }
        return new FormView(f, url, embed, code, requests.counts(f.id()), name, status, warning, requests.enrollmentProblems(f.id()));
    }
}
