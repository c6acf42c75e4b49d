package health.outreach.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * @param jwtSecret                  key for signing login tokens (≥ 32 characters); generated once and kept in the database when empty
 * @param loginMaxFailures           failed sign-ins for one username from one client address inside the window before
 *                                   that username is locked for that address (others still sign in as it)
 * @param loginMaxFailuresPerAddress failed sign-ins from one client address, whatever the usernames, inside the window
 *                                   before every sign-in from that address is locked
 * @param loginFailureWindow         the window the failures are counted in, and how long a lock lasts
 * @param adminPassword              the first admin's password ({@code OUTREACH_ADMIN_PASSWORD}); generated and printed once when empty
 * @param resetAdminPassword         when set ({@code OUTREACH_RESET_ADMIN_PASSWORD}), the {@code admin} account gets this password at start
 */
@ConfigurationProperties("outreach.security")
public record SecuritySettings(
        @Bindable(defaultValue = "") String jwtSecret,
        @Bindable(defaultValue = "5") @Min(1) int loginMaxFailures,
        @Bindable(defaultValue = "20") @Min(1) int loginMaxFailuresPerAddress,
        @Bindable(defaultValue = "PT15M") Duration loginFailureWindow,
        @Bindable(defaultValue = "") String adminPassword,
        @Bindable(defaultValue = "") String resetAdminPassword) {
}
