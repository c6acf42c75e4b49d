package health.outreach.channel;

import health.outreach.common.Channel;
import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.HashMap;
import java.util.Map;

/**
 * The capture outbox in the admin UI: what the embedded default's capture transports kept instead
 * of sending, newest first, and each email as the recipient would see it (in a sandboxed frame).
 */
@Controller("/admin/mailbox")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class MailboxPages {

    private final CapturedMessages captured;
    private final AdminPages pages;

    MailboxPages(CapturedMessages captured, AdminPages pages) {
        this.captured = captured;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String channel, @Nullable @QueryValue String to) {
        Channel ch = "SMS".equals(channel) ? Channel.SMS : "EMAIL".equals(channel) ? Channel.EMAIL : null;
        String recipient = to == null || to.isBlank() || to.length() > 320 ? null : to.strip();
        Map<String, Object> model = new HashMap<>();
        model.put("messages", captured.list(ch, recipient, 100));
        model.put("channel", ch == null ? "" : ch.name());
        model.put("to", recipient == null ? "" : recipient);
        return pages.page(request, "mailbox/list", model);
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> show(HttpRequest<?> request, long id) {
        return pages.page(request, "mailbox/detail", Map.of("m", find(id)));
    }

    @Get(value = "/{id}/html", produces = MediaType.TEXT_HTML)
    HttpResponse<?> html(long id) {
        String html = find(id).html();
        return AdminPages.sandboxed(html == null ? "" : html, false);
    }

    private CapturedMessages.Captured find(long id) {
        return captured.find(id).orElseThrow(() -> ProblemException.notFound("Captured message", id));
    }
}
