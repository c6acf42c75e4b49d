package health.outreach.webhook;

import health.outreach.common.Channel;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.support.Api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small named steps the webhook tests share. */
final class WebhookTestSupport {

    record Registered(long id, String secret) {
    }

    private WebhookTestSupport() {
    }

    static Registered register(Api api, String token, String url, String... types) {
        Api.Response r = api.post("/api/v1/webhook-endpoints", Map.of("url", url, "eventTypes", List.of(types)), token);
        if (r.status() != 201) {
            throw new AssertionError("registering " + url + ": " + r.status() + " " + r.body());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = (Map<String, Object>) r.json().get("endpoint");
        return new Registered(((Number) endpoint.get("id")).longValue(), (String) r.json().get("secret"));
    }

    static ConsentChange optOut(Channel channel, Instant at) {
        return new ConsentChange(channel, ConsentAction.OPT_OUT, "test", null, "asked by the test", "test", null, at, false);
    }

    static void optOut(ConsentLedger ledger, long contactId, Instant at) {
        ledger.record(contactId, optOut(Channel.EMAIL, at));
    }
}
