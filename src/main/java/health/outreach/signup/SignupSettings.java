package health.outreach.signup;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * @param expireAfter        an unconfirmed request lapses this long after it was made
 * @param remindAfter        its one reminder goes this long after it was made (none when not before expireAfter)
 * @param submissionsPerHour sign-up form posts accepted per client address (IPv6: its /64) per hour on each node
 */
@ConfigurationProperties("outreach.signup")
public record SignupSettings(@Bindable(defaultValue = "P7D") Duration expireAfter,
                             @Bindable(defaultValue = "P2D") Duration remindAfter,
                             @Bindable(defaultValue = "10") @Min(1) int submissionsPerHour) {
}
