package health.outreach.signup;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** What a form says in one language; the wording per channel is what a person agrees to, word for word. */
@Serdeable
public record FormText(@Nullable String title, @Nullable String intro, @Nullable String emailWording,
                       @Nullable String smsWording) {

    public String wording(health.outreach.common.Channel channel) {
        return channel == health.outreach.common.Channel.EMAIL ? emailWording : smsWording;
    }
}
