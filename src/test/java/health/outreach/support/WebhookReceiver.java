package health.outreach.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP server on loopback standing in for a system that receives our webhooks. Each path is
 * a receiver of its own with a scripted answer; it keeps every request, and checks signatures with
 * the Standard Webhooks algorithm written here from the specification, not the service's code.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(String path, String id, String timestamp, String signature, String body) {
    }

    /** How a path answers its n-th request (0-based). */
    public record Answer(int status, String body, Map<String, String> headers, boolean endless) {
        public static Answer ok() {
            return new Answer(200, "ok", Map.of(), false);
        }

        public static Answer status(int status) {
            return new Answer(status, "status " + status, Map.of(), false);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, IntFunction<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(String path, IntFunction<Answer> script) {
        scripts.put(path, script);
    }

    public List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        var h = exchange.getRequestHeaders();
        received.add(new Received(path, h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
                new String(body, StandardCharsets.UTF_8)));
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
        Answer answer = scripts.getOrDefault(path, i -> Answer.ok()).apply(n);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        if (!answer.endless()) {
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        exchange.sendResponseHeaders(answer.status(), 0); // chunked, never ending: only the client can stop it
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException clientHungUp) {
            // what a bounded reader does
        }
    }

    /** The entries of webhook-signature that are a valid v1 signature of this request with {@code secret}. */
    public static List<String> validSignatures(Received r, String secret) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        List<String> valid = new ArrayList<>();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
            for (String candidate : r.signature().split(" ")) {
                if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8))) {
                    valid.add(candidate);
                }
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return valid;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
