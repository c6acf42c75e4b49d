package health.outreach.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The few scripts the pages may load (CSP {@code script-src 'self'}): each is an enhancement, every
 * page works without it. A fixed list read once, so no path from the request reaches the classpath.
 */
@Controller("/assets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
class Assets {

    private static final Map<String, String> FILES = Map.of("live.js", read("assets/live.js"));

    @Get(value = "/{name}", produces = "text/javascript")
    HttpResponse<String> script(String name) {
        String body = FILES.get(name);
        if (body == null) {
            return HttpResponse.notFound();
        }
        return HttpResponse.ok(body).contentType(MediaType.of("text/javascript;charset=utf-8"))
                .header("Cache-Control", "public, max-age=3600");
    }

    private static String read(String resource) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
