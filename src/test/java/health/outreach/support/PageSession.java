package health.outreach.support;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.multipart.MultipartBody;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's view of the admin pages over HTTP: signs in with the login form, keeps the session
 * cookie, and posts forms with the form token read from the last page it fetched. The real browser
 * test drives Chromium; this one makes the role and token checks cheap to test exhaustively.
 */
public final class PageSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");

    private final Api api;
    private String cookie;
    private String csrf = "";

    public PageSession(HttpClient client) {
        this.api = new Api(client);
    }

    /** Signs in through {@code POST /login} as a form; fails the test if the form did not sign in. */
    public static PageSession signedIn(HttpClient client, String username, String password) {
        PageSession session = new PageSession(client);
        Api.Response r = session.submit("/login", Map.of("username", username, "password", password));
        if (r.status() != 303) {
            throw new IllegalStateException("form login failed for " + username + ": " + r.status() + " " + r.body());
        }
        String setCookie = r.header("Set-Cookie");
        session.cookie = setCookie.substring(0, setCookie.indexOf(';'));
        session.get("/admin"); // picks up the form token
        return session;
    }

    public Api.Response get(String path) {
        Api.Response r = api.send(withCookie(HttpRequest.GET(path)));
        Matcher m = CSRF.matcher(r.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return r;
    }

    /** Posts a form with the session's form token added. */
    public Api.Response post(String path, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.putIfAbsent("_csrf", csrf);
        return submit(path, withToken);
    }

    /** Posts exactly these fields (no token added), as a browser form. */
    public Api.Response submit(String path, Map<String, String> fields) {
        return send(path, fields, Map.of());
    }

    /** Posts exactly these fields with extra request headers (Origin, Sec-Fetch-Site, ...). */
    public Api.Response send(String path, Map<String, String> fields, Map<String, String> headers) {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        MutableHttpRequest<String> request = HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        headers.forEach(request::header);
        return api.send(withCookie(request));
    }

    /** Uploads a file as a browser form does: the form token part first, then the file part. */
    public Api.Response upload(String path, String field, String filename, byte[] content) {
        return upload(path, csrf, field, filename, content);
    }

    /** Uploads a file with exactly this form token (null: no token part at all). */
    public Api.Response upload(String path, String token, String field, String filename, byte[] content) {
        MultipartBody.Builder body = MultipartBody.builder();
        if (token != null) {
            body.addPart("_csrf", token);
        }
        body.addPart(field, filename, new MediaType("text/csv"), content);
        return api.send(withCookie(HttpRequest.POST(path, body.build()).contentType(MediaType.MULTIPART_FORM_DATA_TYPE)));
    }

    public String csrf() {
        return csrf;
    }

    private <T extends MutableHttpRequest<?>> T withCookie(T request) {
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
