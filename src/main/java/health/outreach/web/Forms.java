package health.outreach.tracking;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Browser form bodies, keeping repeated fields (checkbox groups). At most 50 fields are read. */
final class Forms {

    private Forms() {
    }

    static Map<String, List<String>> parse(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body == null) {
            return form;
        }
        String[] pairs = body.split("&", 51);
        for (int i = 0; i < Math.min(pairs.length, 50); i++) {
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

    static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static int integer(Map<String, List<String>> form, String name, int fallback) {
        try {
            String v = first(form, name);
            return v == null ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
