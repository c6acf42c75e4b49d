package health.outreach.support;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A blocking HTTP client for tests that answers every status as a response (no exceptions on 4xx),
 * with the body as text and helpers to read it as JSON.
 */
public final class Api {

    public record Response(int status, String body, HttpResponse<?> raw) {
        public Map<String, Object> json() {
            return JsonBodies.map(body);
        }

        public List<Object> jsonList() {
            return JsonBodies.list(body);
        }

        public String header(String name) {
            return raw.getHeaders().get(name);
        }

        public String contentType() {
            return raw.getContentType().map(MediaType::toString).orElse(null);
        }
    }

    private final BlockingHttpClient http;

    public Api(HttpClient client) {
        this.http = client.toBlocking();
    }

    public Response send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<String> response = http.exchange(request, Argument.STRING, Argument.STRING);
            return new Response(response.code(), response.getBody().orElse(""), response);
        } catch (HttpClientResponseException e) {
            String body = e.getResponse().getBody(String.class).orElse("");
            return new Response(e.getStatus().getCode(), body, e.getResponse());
        }
    }

    public Response get(String path, String token) {
        return send(auth(HttpRequest.GET(path), token));
    }

    public Response post(String path, Object body, String token) {
        return send(auth(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON), token));
    }

    public Response put(String path, Object body, String token) {
        return send(auth(HttpRequest.PUT(path, body).contentType(MediaType.APPLICATION_JSON), token));
    }

    public Response delete(String path, String token) {
        return send(auth(HttpRequest.DELETE(path), token));
    }

    public Response postCsv(String path, String csv, String token) {
        return send(auth(HttpRequest.POST(path, csv.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .contentType("text/csv"), token));
    }

    public Response postBytes(String path, byte[] body, String contentType, String token) {
        return send(auth(HttpRequest.POST(path, body).contentType(contentType), token));
    }

    public String login(String username, String password) {
        Response r = post("/login", Map.of("username", username, "password", password), null);
        if (r.status() != 200) {
            throw new IllegalStateException("login failed for " + username + ": " + r.status() + " " + r.body());
        }
        return (String) r.json().get("access_token");
    }

    private static <T extends MutableHttpRequest<?>> T auth(T request, String token) {
        if (token != null) {
            request.bearerAuth(token);
        }
        return request;
    }

    /** JSON parsing for assertions, independent of the service's own mapper configuration. */
    public static final class JsonBodies {
        private static final JsonMapper MAPPER = JsonMapper.createDefault();

        @SuppressWarnings("unchecked")
        public static Map<String, Object> map(String body) {
            try {
                return (Map<String, Object>) MAPPER.readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        public static List<Object> list(String body) {
            try {
                return (List<Object>) MAPPER.readValue(body, Argument.listOf(Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }
}
