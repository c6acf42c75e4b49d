package health.outreach.campaign;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The campaign API's shapes. Offsets are ISO-8601 durations ("P3D", "-P7D", "PT2H"). */
public final class CampaignViews {

    private CampaignViews() {
    }

    @Serdeable
    public record RelativeTo(@NotBlank @Size(max = 64) String attribute, @NotBlank @Size(max = 40) String offset) {
    }

    /**
     * One arm of an A/B step: a template of the step's channel (version pinned at save, the current
     * one when left out) and its share of the step's recipients in whole percent.
     */
    @Serdeable
    public record VariantForm(@NotNull Long templateId, @Nullable Integer templateVersion, @NotNull Integer percent) {
    }

    /**
     * A step. With {@code variants} (2–4, percents summing to 100) each recipient gets one of them,
     * chosen by a stable hash of step and contact; the first variant is the step's own template.
     * With {@code testPercent} the variants go to that share of the recipients first; after
     * {@code testWait} (from the step's first send) the winner on {@code winnerMetric} (CLICK or
     * BOOKING, default CLICK), given {@code minPerVariant} reached per variant (default 100), goes to
     * the rest, or {@code fallback} (FIRST, the default, or a variant's label) when none wins clearly.
     */
    @Serdeable
    public record StepForm(@NotNull Channel channel,
                           @NotNull Long templateId,
                           @Nullable Integer templateVersion,
                           @Nullable Instant at,
                           @Nullable @Size(max = 40) String afterEnrollment,
                           @Nullable @Valid RelativeTo relativeTo,
                           @Nullable @Min(0) @Max(23) Integer sendHour,
                           @Nullable @Size(max = 10) List<@Valid VariantForm> variants,
                           @Nullable Integer testPercent,
                           @Nullable @Size(max = 40) String testWait,
                           @Nullable @Size(max = 16) String winnerMetric,
                           @Nullable Integer minPerVariant,
                           @Nullable @Size(max = 16) String fallback) {

        @Creator
        public StepForm {
        }

        /** A step with variants (or none) and no test. */
        public StepForm(Channel channel, Long templateId, @Nullable Integer templateVersion, @Nullable Instant at,
                        @Nullable String afterEnrollment, @Nullable RelativeTo relativeTo, @Nullable Integer sendHour,
                        @Nullable List<VariantForm> variants) {
            this(channel, templateId, templateVersion, at, afterEnrollment, relativeTo, sendHour, variants,
                    null, null, null, null, null);
        }

        /** Whether any of the test's settings is given. */
        boolean hasTest() {
            return testPercent != null || testWait != null || winnerMetric != null || minPerVariant != null || fallback != null;
        }

        /** A step without variants. */
        public StepForm(Channel channel, Long templateId, @Nullable Integer templateVersion, @Nullable Instant at,
                        @Nullable String afterEnrollment, @Nullable RelativeTo relativeTo, @Nullable Integer sendHour) {
            this(channel, templateId, templateVersion, at, afterEnrollment, relativeTo, sendHour, null);
        }
    }

    @Serdeable
    public record Form(@NotBlank @Size(max = 200) String name,
                       @NotNull Long segmentId,
                       @Nullable @Size(max = 35) String defaultLocale,
                       @Nullable @Size(max = 64) String timeZone,
                       @Nullable @Size(max = 20) List<@Valid StepForm> steps,
                       @Nullable String enrollment,
                       @Nullable @Size(max = 120) String cron,
                       @Nullable @Min(0) @Max(50) Integer holdoutPercent,
                       @Nullable @Min(1) @Max(365) Integer attributionWindowDays,
                       @Nullable Instant startsAt) {
    }

    /** A saved variant: its label (A, B, ...), pinned template version and share. */
    @Serdeable
    public record Variant(String label, long templateId, int templateVersion, int percent) {
    }

    /**
     * A saved step; {@code variants} is empty for a step that sends one template, and the test's
     * settings are null for a step without a test. {@code decision} is set once a winner is picked.
     */
    @Serdeable
    public record Step(long id, int order, Channel channel, long templateId, int templateVersion, @Nullable Instant at,
                       @Nullable String afterEnrollment, @Nullable RelativeTo relativeTo, @Nullable Integer sendHour,
                       List<Variant> variants, @Nullable Integer testPercent, @Nullable String testWait,
                       @Nullable String winnerMetric, @Nullable Integer minPerVariant, @Nullable String fallback,
                       @Nullable Decision decision) {

        @Creator
        public Step {
        }

        /** A step without a test. */
        public Step(long id, int order, Channel channel, long templateId, int templateVersion, @Nullable Instant at,
                    @Nullable String afterEnrollment, @Nullable RelativeTo relativeTo, @Nullable Integer sendHour,
                    List<Variant> variants) {
            this(id, order, channel, templateId, templateVersion, at, afterEnrollment, relativeTo, sendHour, variants,
                    null, null, null, null, null, null);
        }
    }

    /** A tested step's decision: the variant sent to the rest, and whether it is the fallback. */
    @Serdeable
    public record Decision(Instant decidedAt, String winner, boolean fellBack, @Nullable String notice, long released) {
    }

    @Serdeable
    public record View(long id, String name, long segmentId, CampaignStatus status, @Nullable String statusReason,
                       String defaultLocale, String timeZone, String enrollment, @Nullable String cron,
                       int holdoutPercent, int attributionWindowDays, @Nullable Instant startsAt,
                       @Nullable Instant launchedAt, @Nullable Instant completedAt, List<Step> steps,
                       Map<String, Long> progress, Map<String, Long> counters, String createdBy, Instant createdAt,
                       Instant updatedAt) {
    }

    @Serdeable
    public record MessageRow(long id, long contactId, @Nullable String contactName, @Nullable Long stepId, Channel channel, String status,
                             Instant dueAt, int attempts, @Nullable Instant sentAt, @Nullable String lastError) {
    }
}
