package health.outreach.delivery;

import health.outreach.common.Channel;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.inject.Singleton;

import java.time.LocalTime;

/**
 * The local-time windows per channel: SMS 08:00–21:00 unless tightened, email unrestricted unless
 * configured ("09:00-20:00"). A configured SMS window may only sit inside 08:00–21:00: the default
 * can be tightened, never silently loosened.
 */
@Singleton
public class DeliveryWindows {

    @ConfigurationProperties("outreach.delivery")
    public record Settings(@Bindable(defaultValue = "08:00-21:00") @NotBlank String smsWindow,
                           @Bindable(defaultValue = "") String emailWindow) {
    }

    private static final LocalTime SMS_EARLIEST = LocalTime.of(8, 0);
    private static final LocalTime SMS_LATEST = LocalTime.of(21, 0);

    private final QuietHours sms;
    private final QuietHours email;

    public DeliveryWindows(Settings settings) {
        this.sms = parse(settings.smsWindow(), "outreach.delivery.sms-window");
        if (!sms.restricts()) {
            throw new IllegalStateException("outreach.delivery.sms-window cannot be empty");
        }
        this.email = parse(settings.emailWindow(), "outreach.delivery.email-window");
        String[] smsEnds = settings.smsWindow().split("-");
        if (LocalTime.parse(smsEnds[0].strip()).isBefore(SMS_EARLIEST) || LocalTime.parse(smsEnds[1].strip()).isAfter(SMS_LATEST)) {
            throw new IllegalStateException("outreach.delivery.sms-window must stay within 08:00-21:00 (47 CFR 64.1200(c)(1))");
        }
    }

    public QuietHours forChannel(Channel channel) {
        return channel == Channel.SMS ? sms : email;
    }

    private static QuietHours parse(String window, String name) {
        if (window == null || window.isBlank()) {
            return QuietHours.none();
        }
        String[] ends = window.split("-");
        if (ends.length != 2) {
            throw new IllegalStateException(name + " must look like 08:00-21:00");
        }
        return new QuietHours(LocalTime.parse(ends[0].strip()), LocalTime.parse(ends[1].strip()));
    }
}
