package health.outreach.webhook;

import health.outreach.common.WebhookSignatures;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt, signed with Standard Webhooks. Redirects are not followed (a 3xx is a failure:
 * following one would let a public receiver point us inside); no proxy; the response body is read
 * only up to the excerpt size, and the whole exchange has a deadline.
 */
@Singleton
class WebhookSender {

    /** What the receiver answered (status null when there was no answer), in how long. */
    record Outcome(boolean succeeded, Integer status, long latencyMs, String error, String excerpt) {
    }

    /** What to send: the stored body, the event's webhook-id, and the secrets that sign it now. */
    record Request(URI url, String webhookId, String body, List<String> secrets) {
    }

    private final WebhookSettings settings;
    private final AddressGuard guard;
    private final Clock clock;
    private final HttpClient http;

    WebhookSender(WebhookSettings settings, AddressGuard guard, Clock clock) {
        this.settings = settings;
        this.guard = guard;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The webhook-signature header: one "v1,..." per secret in force, space-separated. */
    static String signatures(List<String> secrets, String webhookId, long timestamp, String body) {
        return String.join(" ", secrets.stream().map(s -> WebhookSignatures.sign(s, webhookId, timestamp, body)).toList());
    }

    Outcome send(Request r) {
        long started = System.nanoTime();
        try {
            guard.checkBeforeSend(r.url());
        } catch (AddressGuard.Refused e) {
            return new Outcome(false, null, 0, "refused: " + e.getMessage(), null);
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(r.url())
                .timeout(settings.readTimeout())
                .header("content-type", "application/json")
                .header("user-agent", "Outreach-Webhooks/1")
                .header("webhook-id", r.webhookId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signatures(r.secrets(), r.webhookId(), timestamp, r.body()))
                .POST(HttpRequest.BodyPublishers.ofString(r.body(), StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                info -> new BoundedBody(settings.responseExcerptBytes()));
        try {
            long deadline = settings.connectTimeout().plus(settings.readTimeout()).toMillis();
            HttpResponse<byte[]> response = exchange.get(deadline, TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            boolean ok = status >= 200 && status < 300;
            String error = ok ? null : status >= 300 && status < 400 ? "redirect not followed ("
                    + response.headers().firstValue("location").map(l -> "to " + cut(l, 200)).orElse("no location") + ")"
                    : "HTTP " + status;
            return new Outcome(ok, status, elapsed(started), error, excerpt(response.body()));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Outcome(false, null, elapsed(started), "no complete answer within the timeout", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String what = cause instanceof HttpTimeoutException ? "timed out" : cause.getClass().getSimpleName();
            return new Outcome(false, null, elapsed(started), cut(what + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), 500), null);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(false, null, elapsed(started), "interrupted (node stopping)", null);
        }
    }

    private static long elapsed(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String excerpt(byte[] body) {
        return body == null || body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    /**
     * Keeps the first {@code limit} bytes of a response body and stops reading there (cancelling the
     * subscription closes the connection), so a receiver answering with gigabytes costs us {@code limit}.
     */
    static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = Math.min(item.remaining(), limit - kept.size());
                byte[] chunk = new byte[n];
                item.get(chunk);
                kept.write(chunk, 0, n);
            }
            if (kept.size() >= limit) {
                subscription.cancel();
                result.complete(kept.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(kept.toByteArray());
        }
    }
}
