package health.outreach.signup;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * One checked sign-up: what the person typed (addresses normalised), the channels they ticked, the
 * form version and language they saw, where and from whom it came.
 *
 * @param locale      the language they chose for messages, or the page's when the form does not ask
 * @param clientHash  keyed hash of the client address (never the address itself)
 */
record Submission(String formKey, int version, String language, @Nullable String firstName, @Nullable String lastName,
                  @Nullable String email, @Nullable String phone, @Nullable String postalCode, String locale,
                  Set<String> topics, Set<Channel> channels, String pageUrl, String clientHash) {

    @Nullable
    String address(Channel channel) {
        return channel == Channel.EMAIL ? email : phone;
    }
}
