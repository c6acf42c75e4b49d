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
     */
    @Serdeable
    public record StepForm(@NotNull Channel channel,
                           @NotNull Long templateId,
                           @Nullable Integer templateVersion,
                           @Nullable Instant at,
                           @Nullable @Size(max = 40) String afterEnrollment,
                           @Nullable @Valid RelativeTo relativeTo,
                           @Nullable @Min(0) @Max(23) Integer sendHour,
                           @Nullable @Size(max = 10) List<@Valid VariantForm> variants) {

        @Creator
        public StepForm {
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

    /** A saved step; {@code variants} is empty for a step that sends one template. */
    @Serdeable
    public record Step(long id, int order, Channel channel, long templateId, int templateVersion, @Nullable Instant at,
                       @Nullable String afterEnrollment, @Nullable RelativeTo relativeTo, @Nullable Integer sendHour,
                       List<Variant> variants) {
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
