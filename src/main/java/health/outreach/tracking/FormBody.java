package health.outreach.tracking;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** application/x-www-form-urlencoded, parsed from the raw body (signatures are computed over every parameter). */
final class FormBody {

    private FormBody() {
    }

    static Map<String, String> parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            try {
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                // a malformed escape: the signature check will fail on it anyway
            }
        }
        return params;
    }
}
