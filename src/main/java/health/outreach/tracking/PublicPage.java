package health.outreach.tracking;

import health.outreach.program.ProgramService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import health.outreach.web.PageRenderer;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;

/** What every public page behind a message token shares: the program's name and address, and the neutral page. */
@Singleton
public class PublicPage {

    private final ProgramService program;
    private final PageRenderer pages;

    PublicPage(ProgramService program, PageRenderer pages) {
        this.program = program;
        this.pages = pages;
    }

    public Map<String, Object> model(String token, Map<String, Object> page) {
        Map<String, Object> model = new HashMap<>(page);
        model.put("token", token);
        model.put("programName", program.current().name());
        model.put("programAddress", program.current().postalAddress());
        return model;
    }

    /**
     * The one answer to an unknown, forged, expired or erased token, so tokens cannot be probed.
     */
    public HttpResponse<?> neutral(HttpRequest<?> request) {
        String accept = request.getHeaders().get("Accept-Language");
        String language = accept != null && accept.toLowerCase().startsWith("es") ? "es" : "en";
        return pages.page(HttpStatus.NOT_FOUND, "neutral", language, Map.of("programName", program.current().name()));
    }
}
