package health.outreach.support;

import health.outreach.tracking.StandardWebhooks;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;

/** A JSON webhook signed the Standard Webhooks way, as clinics and mail providers send them. */
public final class SignedWebhooks {

    private SignedWebhooks() {
    }

    public static MutableHttpRequest<String> post(String path, String secret, String id, long timestamp, String body) {
        return unsigned(path, id, timestamp, body).header("webhook-signature", StandardWebhooks.sign(secret, id, timestamp, body));
    }

    /** The headers without a signature, for tests that sign (or tamper) themselves. */
    public static MutableHttpRequest<String> unsigned(String path, String id, long timestamp, String body) {
        return HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp));
    }
}
