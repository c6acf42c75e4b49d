package health.outreach.campaign;

import health.outreach.common.FieldError;
import health.outreach.template.TemplateStore;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rules for a step's A/B variants: 2 to 4 of them, each a live template of the step's channel
 * on an existing version (pinned here, the current one when none is given), no version twice (the
 * counters tell arms apart by version), whole-percent shares of at least 1 summing to 100, and the
 * first variant being the step's own template, so anything that reads only the step still sees A.
 */
@Singleton
class VariantRules {

    static final int MIN = 2;
    static final int MAX = 4;
    static final int DEFAULT_MIN_PER_VARIANT = 100;
    private static final Duration MAX_WAIT = Duration.ofDays(30);

    private final TemplateStore templates;

    VariantRules(TemplateStore templates) {
        this.templates = templates;
    }

    /** The variants as they would be saved; problems go to {@code errors} under {@code field}.variants. */
    List<CampaignStore.VariantRow> check(CampaignViews.StepForm step, int stepVersion, String field,
                                         List<FieldError> errors) {
        List<CampaignViews.VariantForm> forms = step.variants();
        String list = field + ".variants";
        if (forms.size() < MIN || forms.size() > MAX) {
            errors.add(FieldError.of(list, "give " + MIN + " to " + MAX + " variants, or none (" + forms.size() + " given)"));
            return List.of();
        }
        List<CampaignStore.VariantRow> rows = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        int total = 0;
        for (int i = 0; i < forms.size(); i++) {
            CampaignViews.VariantForm v = forms.get(i);
            String at = list + "[" + i + "]";
            if (v == null) {
                errors.add(FieldError.of(at, "must be an object"));
                continue;
            }
            if (v.percent() < 1 || v.percent() > 99) {
                errors.add(FieldError.of(at + ".percent", "must be a whole percent from 1 to 99"));
            }
            total += v.percent();
            Integer version = version(v, step, i == 0 ? stepVersion : null, at, errors);
            if (version == null) {
                continue;
            }
            if (i == 0 && (v.templateId().longValue() != step.templateId() || version != stepVersion)) {
                errors.add(FieldError.of(at + ".templateId", "the first variant is the step's own template ("
                        + step.templateId() + " v" + stepVersion + "); got " + v.templateId() + " v" + version));
            }
            if (!versions.add(v.templateId() + ":" + version)) {
                errors.add(FieldError.of(at + ".templateVersion", "template " + v.templateId() + " v" + version
                        + " is already an earlier variant; each variant needs its own version"));
            }
            rows.add(new CampaignStore.VariantRow(i, v.templateId(), version, v.percent()));
        }
        if (total != 100) {
            errors.add(FieldError.of(list, "the variants' percents must sum to 100 (they sum to " + total + ")"));
        }
        return rows;
    }

    /**
     * A step's test, or null without one. It needs variants, a step timed by enrollment or a fixed
     * time (a date-relative step sends each person at their own time, so there is no one moment to
     * decide after), a share from 1 to 99 and a positive wait; the metric, the minimum and the
     * fallback have defaults.
     */
    CampaignStore.TestRow test(CampaignViews.StepForm step, int variants, String field, List<FieldError> errors) {
        if (!step.hasTest()) {
            return null;
        }
        int before = errors.size();
        if (variants == 0) {
            errors.add(FieldError.of(field + ".testPercent", "a test needs variants to compare"));
            return null;
        }
        if (step.relativeTo() != null) {
            errors.add(FieldError.of(field + ".testPercent", "a step timed relative to a contact's date cannot be tested: "
                    + "each person is sent at their own time, so there is no moment to pick a winner"));
        }
        if (step.testPercent() == null || step.testPercent() < 1 || step.testPercent() > 99) {
            errors.add(FieldError.of(field + ".testPercent", "must be a whole percent from 1 to 99"));
        }
        Duration wait = null;
        if (step.testWait() == null) {
            errors.add(FieldError.of(field + ".testWait", "a test needs a wait, an ISO-8601 duration like PT24H"));
        } else {
            try {
                wait = Duration.parse(step.testWait());
            } catch (DateTimeParseException e) {
                errors.add(FieldError.of(field + ".testWait", "'" + step.testWait() + "' is not an ISO-8601 duration like PT24H"));
            }
            if (wait != null && (wait.isNegative() || wait.isZero() || wait.compareTo(MAX_WAIT) > 0)) {
                errors.add(FieldError.of(field + ".testWait", "must be more than zero and at most " + MAX_WAIT.toDays() + " days"));
            }
        }
        String metric = step.winnerMetric() == null ? "CLICK" : step.winnerMetric().toUpperCase(Locale.ROOT);
        if (!metric.equals("CLICK") && !metric.equals("BOOKING")) {
            errors.add(FieldError.of(field + ".winnerMetric", "must be CLICK or BOOKING"));
        }
        int min = step.minPerVariant() == null ? DEFAULT_MIN_PER_VARIANT : step.minPerVariant();
        if (min < 1 || min > 1_000_000) {
            errors.add(FieldError.of(field + ".minPerVariant", "must be from 1 to 1000000 people reached per variant"));
        }
        String fallback = step.fallback() == null ? "FIRST" : step.fallback().toUpperCase(Locale.ROOT);
        boolean label = fallback.length() == 1 && fallback.charAt(0) >= 'A' && fallback.charAt(0) < 'A' + variants;
        if (!fallback.equals("FIRST") && !label) {
            errors.add(FieldError.of(field + ".fallback", "must be FIRST or the label of one of the step's variants (A to "
                    + (char) ('A' + variants - 1) + ")"));
        }
        return errors.size() > before ? null
                : CampaignStore.TestRow.settings(step.testPercent(), wait.toString(), metric, min, fallback);
    }

    /** The pinned version, or null after recording why the variant's template cannot be used. */
    private Integer version(CampaignViews.VariantForm v, CampaignViews.StepForm step, Integer stepVersion, String at,
                            List<FieldError> errors) {
        Optional<TemplateStore.TemplateRow> template = templates.find(v.templateId());
        if (template.isEmpty()) {
            errors.add(FieldError.of(at + ".templateId", "template " + v.templateId() + " does not exist"));
            return null;
        }
        int before = errors.size();
        if (template.get().archived()) {
            errors.add(FieldError.of(at + ".templateId", "template " + v.templateId() + " is archived"));
        }
        if (template.get().channel() != step.channel()) {
            errors.add(FieldError.of(at + ".templateId", "template " + v.templateId() + " is an "
                    + template.get().channel() + " template; this step sends " + step.channel()));
        }
        // A first variant without a version takes the step's, which may be pinned below the current one.
        boolean isStep = stepVersion != null && v.templateId().longValue() == step.templateId();
        int version = v.templateVersion() != null ? v.templateVersion() : isStep ? stepVersion : template.get().currentVersion();
        if (templates.version(v.templateId(), version).isEmpty()) {
            errors.add(FieldError.of(at + ".templateVersion", "template " + v.templateId() + " has no version " + version));
        }
        return errors.size() > before ? null : version;
    }
}
