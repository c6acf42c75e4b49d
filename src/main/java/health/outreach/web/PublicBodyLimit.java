package health.outreach.web;

import health.outreach.common.ProblemResponses;
import health.outreach.config.TrackingSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;

/**
 * Anonymous endpoints read their bodies into memory before a signature or token can be checked,
 * so their size is capped from the Content-Length header, before any of it is read. The server's
 * own limit stays large for the authenticated CSV imports.
 */
@ServerFilter(patterns = {"/r/**", "/o/**", "/u/**", "/p/**", "/book/**", "/join/**", "/webhooks/**", "/login"})
class PublicBodyLimit implements Ordered {

    private final long maxBytes;

    PublicBodyLimit(TrackingSettings settings) {
        this.maxBytes = settings.maxBodyBytes();
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> limit(HttpRequest<?> request) {
        if (!request.getMethod().permitsRequestBody()) {
            return null;
        }
        long length = request.getContentLength();
        if (length < 0 && request.getHeaders().contains("Transfer-Encoding")) {
            return ProblemResponses.response(request, HttpStatus.LENGTH_REQUIRED, "length-required",
                    "Send a Content-Length of at most " + maxBytes + " bytes", List.of());
        }
        if (length > maxBytes) {
            return ProblemResponses.response(request, HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too-large",
                    "The body may be at most " + maxBytes + " bytes", List.of());
        }
        return null;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
