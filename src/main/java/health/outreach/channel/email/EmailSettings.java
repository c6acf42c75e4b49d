package health.outreach.channel.email;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * @param transport          capture (the embedded default: kept in the database, listed at /api/v1/dev/mailbox) or smtp
 * @param from               the From address, e.g. "Community Spine Health &lt;outreach@example.org&gt;"
 * @param unsubscribeMailbox address for the mailto: form of List-Unsubscribe; empty → unsubscribe@ the From domain
 */
@ConfigurationProperties("outreach.email")
public record EmailSettings(@Bindable(defaultValue = "capture") @Pattern(regexp = "capture|smtp") String transport,
                            @Bindable(defaultValue = "Community Spine Health <outreach@outreach.example.org>") @NotBlank String from,
                            @Bindable(defaultValue = "") String unsubscribeMailbox,
                            Smtp smtp) {

    /**
     * @param starttls require STARTTLS before sending (refuse to send in clear text)
     */
    @ConfigurationProperties("smtp")
    public record Smtp(@Bindable(defaultValue = "localhost") @NotBlank String host,
                       @Bindable(defaultValue = "25") @Min(1) @Max(65535) int port,
                       @Bindable(defaultValue = "") String username,
                       @Bindable(defaultValue = "") String password,
                       @Bindable(defaultValue = "false") boolean starttls,
                       @Bindable(defaultValue = "PT10S") Duration connectTimeout,
                       @Bindable(defaultValue = "PT30S") Duration readTimeout,
                       @Bindable(defaultValue = "PT30S") Duration writeTimeout) {
    }
}
