package health.outreach.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Browser form bodies, keeping repeated fields (checkbox groups). A hostile body cannot make us
 * decode more than a bounded number of fields: the public pages read 50, the admin pages 500.
 */
public final class Forms {

    private Forms() {
    }

    public static Map<String, List<String>> parse(String body) {
        return parse(body, 50);
    }

    public static Map<String, List<String>> parse(String body, int maxFields) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body == null) {
            return form;
        }
        String[] pairs = body.split("&", maxFields + 1);
        for (int i = 0; i < Math.min(pairs.length, maxFields); i++) {
            if (pairs[i].isEmpty()) {
                continue; // "a=1&&b=2": nothing between the separators
            }
            String[] kv = pairs[i].split("=", 2);
            try {
                String key = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException ignored) {
                // a malformed escape is dropped
            }
        }
        return form;
    }

    /**
     * One value per name (a repeated name keeps its last), for provider webhooks: their signatures
     * cover every parameter, so a field dropped over the cap fails the check rather than passing.
     */
    public static Map<String, String> single(String body, int maxFields) {
        Map<String, String> params = new LinkedHashMap<>();
        parse(body, maxFields).forEach((k, v) -> params.put(k, v.get(v.size() - 1)));
        return params;
    }

    public static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public static int integer(Map<String, List<String>> form, String name, int fallback) {
        try {
            String v = first(form, name);
            return v == null ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
