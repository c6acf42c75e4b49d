package health.outreach.channel.email;

import java.util.Map;

/** An email exactly as it will be sent; built and checked by {@link EmailComposer}. */
public record ComposedEmail(String from, String to, String subject, String text, String html, String messageId,
                            Map<String, String> headers) {
}
