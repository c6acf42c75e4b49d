package health.outreach.signup;

import health.outreach.support.Api;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A person's browser on the public sign-up pages: one client address each, form token read from the page. */
final class SignupTestSupport {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    private SignupTestSupport() {
    }

    /** A form offering both channels, every field, the given keywords and partner site, enrolling into {@code campaignId}. */
    static Map<String, Object> formBody(String key, Long campaignId, Map<String, String> keywords) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("fields", List.of("name", "email", "phone", "postalCode", "language", "topics"));
        body.put("channels", List.of("EMAIL", "SMS"));
        if (campaignId != null) {
            body.put("campaignId", campaignId);
        }
        body.put("partnerOrigins", List.of("https://partner.example.org"));
        body.put("texts", Map.of(
                "en", Map.of("title", "Spine tips " + key, "emailWording", "Email me spine tips (" + key + "), up to 4 a month.",
                        "smsWording", "Text me spine tips (" + key + "), up to 4 msgs/mo. Msg & data rates may apply. Reply STOP to cancel."),
                "es", Map.of("title", "Consejos " + key, "emailWording", "Envíenme consejos (" + key + ") por correo.",
                        "smsWording", "Envíenme consejos (" + key + ") por texto. Responda STOP para cancelar.")));
        body.put("keywords", keywords);
        return body;
    }

    /** A visitor from one client address (the test server trusts X-Forwarded-For from 127.0.0.1). */
    record Visitor(Api api, String address) {

        Api.Response get(String path) {
            return api.send(HttpRequest.GET(path).header("X-Forwarded-For", address).header("User-Agent", "Mozilla/5.0 (iPhone)"));
        }

        Api.Response post(String path, Map<String, String> fields) {
            return post(path, fields, Map.of());
        }

        Api.Response post(String path, Map<String, String> fields, Map<String, String> headers) {
            String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                    .collect(Collectors.joining("&"));
            MutableHttpRequest<String> request = HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                    .header("X-Forwarded-For", address).header("User-Agent", "Mozilla/5.0 (iPhone)");
            headers.forEach(request::header);
            return api.send(request);
        }

        /** Opens the form and posts it with the page's token and version, plus these fields. */
        Api.Response signUp(String key, Map<String, String> fields) {
            Api.Response page = get("/join/" + key);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("csrf", csrf(page.body()));
            all.put("v", "1");
            all.putAll(fields);
            return post("/join/" + key, all);
        }
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form token on the page: " + html);
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
