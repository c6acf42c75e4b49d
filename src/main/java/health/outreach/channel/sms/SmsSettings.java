package health.outreach.channel.sms;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/**
 * @param provider capture (the embedded default) or twilio (any Twilio-compatible Messages API)
 */
@ConfigurationProperties("outreach.sms")
public record SmsSettings(@Bindable(defaultValue = "capture") @Pattern(regexp = "capture|twilio") String provider, Twilio twilio) {

    /**
     * @param baseUrl    the API root (a local stand-in in tests)
     * @param from       sending number in E.164, or empty when {@code messagingServiceSid} is used
     * @param authToken  also the key of X-Twilio-Signature on inbound webhooks
     */
    @ConfigurationProperties("twilio")
    public record Twilio(@Bindable(defaultValue = "https://api.twilio.com") @NotBlank String baseUrl,
                         @Bindable(defaultValue = "") String accountSid,
                         @Bindable(defaultValue = "") String authToken,
                         @Bindable(defaultValue = "") String from,
                         @Bindable(defaultValue = "") String messagingServiceSid,
                         @Bindable(defaultValue = "PT10S") Duration timeout) {
    }
}
