package health.outreach.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

import java.util.List;

/**
 * @param opens             record opens with a pixel (off: privacy mode, the default)
 * @param tokenDays         links in a message work this long after it was sent
 * @param publicPerMinute   requests per minute per client address on the public pages (/u, /p, /book)
 * @param redirectPerMinute requests per minute per client address on /r and /o
 * @param webhookPerMinute  requests per minute per client address on /webhooks (signed, and providers
 *                          send in bursts from few addresses, so far above the page limit)
 * @param maxBodyBytes      largest body accepted on the anonymous endpoints (pages, webhooks, login)
 * @param emailWebhookSecrets Standard Webhooks secrets for POST /webhooks/email/events (current, previous)
 */
@ConfigurationProperties("outreach.tracking")
public record TrackingSettings(@Bindable(defaultValue = "false") boolean opens,
                               @Bindable(defaultValue = "365") @Min(1) int tokenDays,
                               @Bindable(defaultValue = "60") @Min(1) int publicPerMinute,
                               @Bindable(defaultValue = "600") @Min(1) int redirectPerMinute,
                               @Bindable(defaultValue = "20000") @Min(1) int webhookPerMinute,
                               @Bindable(defaultValue = "65536") @Min(1) long maxBodyBytes,
                               @Bindable(defaultValue = "") List<String> emailWebhookSecrets) {
}
