package health.outreach.seed;

import health.outreach.security.Role;
import health.outreach.segment.SegmentRule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The shapes of the JSON seed files (see seeds/README.md). */
final class SeedModels {

    private SeedModels() {
    }

    @Serdeable
    record ProgramSeed(String name, String postalAddress, @Nullable String supportPhone, @Nullable String supportEmail,
                       @Nullable String website, String defaultTimeZone, String defaultLocale) {
    }

    @Serdeable
    record ClinicSeed(String code, String name, @Nullable String phone, @Nullable String address,
                      @Nullable String postalCode, String timeZone, @Nullable String webhookSecret) {
    }

    @Serdeable
    record UserSeed(String username, @Nullable String displayName, Role role) {
    }

    @Serdeable
    record StepSeed(health.outreach.common.Channel channel, String template, @Nullable String afterEnrollment,
                    @Nullable Integer sendHour) {
    }

    @Serdeable
    record CampaignSeed(String name, String segment, @Nullable String defaultLocale, int startsInSeconds,
                        @Nullable Integer holdoutPercent, @Nullable Integer attributionWindowDays,
                        java.util.List<StepSeed> steps) {
    }

    @Serdeable
    record SegmentSeed(String name, @Nullable String description, SegmentRule rule) {
    }
}
