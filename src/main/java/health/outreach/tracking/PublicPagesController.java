package health.outreach.tracking;

import health.outreach.config.TrackingSettings;
import health.outreach.common.Channel;
import health.outreach.web.FormTokens;
import health.outreach.web.Forms;
import health.outreach.web.PageRenderer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public links in every message, no login: tracked redirects, the open pixel, one-click
 * unsubscribe and the preference centre. {@code /u} also takes the unsubscribe-only token of an
 * email's List-Unsubscribe header; everything else takes only the action token of the body's links. An unknown, forged, expired or erased
 * token always gets the same neutral page, so tokens cannot be probed.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class PublicPagesController {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final Tokens tokens;
    private final Engagement engagement;
    private final Preferences preferences;
    private final PublicPage publicPage;
    private final PageRenderer pages;
    private final FormTokens forms;
    private final TrackingSettings settings;
    private final Clock clock;

    PublicPagesController(Tokens tokens, Engagement engagement, Preferences preferences, PublicPage publicPage,
                          PageRenderer pages, FormTokens forms, TrackingSettings settings, Clock clock) {
        this.tokens = tokens;
        this.engagement = engagement;
        this.preferences = preferences;
        this.publicPage = publicPage;
        this.pages = pages;
        this.forms = forms;
        this.settings = settings;
        this.clock = clock;
    }

    /** Redirects only to the URL stored for that link when the message was sent; nothing from the request. */
    @Get("/r/{token}")
    HttpResponse<?> click(String token, HttpRequest<?> request, @Nullable @Header("User-Agent") String userAgent) {
        Optional<Tokens.Click> click = tokens.click(token);
        if (click.isEmpty()) {
            return neutral(request);
        }
        if (!LinkScanners.isScanner(request.getMethodName(), userAgent)) {
            engagement.click(click.get());
        }
        return HttpResponse.status(HttpStatus.FOUND).header("Location", click.get().url())
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
    }

    @Get(value = "/o/{token}", produces = "image/gif")
    HttpResponse<?> open(String token) {
        if (!settings.opens()) {
            return HttpResponse.notFound();
        }
        tokens.message(token.endsWith(".gif") ? token.substring(0, token.length() - 4) : token).ifPresent(engagement::open);
        return HttpResponse.ok(PIXEL).contentType("image/gif").header("Cache-Control", "no-store");
    }

    /** A GET never unsubscribes (mail scanners follow links): it asks. */
    @Get("/u/{token}")
    HttpResponse<?> unsubscribePage(String token, HttpRequest<?> request) {
        return tokens.unsubscribing(token).<HttpResponse<?>>map(u -> pages.page(HttpStatus.OK, "unsubscribe",
                PageRenderer.language(u.message().locale()), model(token, Map.of("done", false,
                        "channel", u.message().channel().name(), "preferences", u.ownLinks()))))
                .orElseGet(() -> neutral(request));
    }

    /** RFC 8058 one-click (body List-Unsubscribe=One-Click, no cookie, no CSRF token) or the page's button. */
    @Post(value = "/u/{token}", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN, MediaType.MULTIPART_FORM_DATA})
    HttpResponse<?> unsubscribe(String token, HttpRequest<?> request, @Nullable @Body String body,
                                @Nullable @Header("User-Agent") String userAgent) {
        Optional<Tokens.Unsubscribing> unsubscribing = tokens.unsubscribing(token);
        if (unsubscribing.isEmpty()) {
            return neutral(request);
        }
        MessageRef m = unsubscribing.get().message();
        boolean oneClick = body != null && body.contains("List-Unsubscribe=One-Click");
        String agent = userAgent == null ? "unknown" : (userAgent.length() > 200 ? userAgent.substring(0, 200) : userAgent);
        engagement.unsubscribe(m, oneClick ? "one-click unsubscribe (RFC 8058)" : "unsubscribe page",
                "POST /u for message " + m.id() + ", user agent: " + agent);
        return pages.page(HttpStatus.OK, "unsubscribe", PageRenderer.language(m.locale()),
                model(token, Map.of("done", true, "channel", m.channel().name(), "preferences", unsubscribing.get().ownLinks())));
    }

    @Get("/p/{token}")
    HttpResponse<?> preferencesPage(String token, HttpRequest<?> request, @Nullable @QueryValue String saved) {
        return tokens.message(token).<HttpResponse<?>>map(m -> {
            Preferences.Current c = preferences.current(m);
            Map<String, Object> model = new HashMap<>(Map.of("saved", saved != null, "csrf", forms.issue("preferences", token),
                    "hasEmail", c.hasEmail(), "hasPhone", c.hasPhone(), "emailOn", c.emailOn(), "smsOn", c.smsOn(),
                    "language", c.language(), "topics", List.copyOf(c.topics()), "allTopics", Preferences.TOPICS,
                    "smsByText", m.channel() != Channel.SMS && !c.smsOn()));
            model.put("pause", 0);
            if (c.pausedUntil() != null && c.pausedUntil().isAfter(clock.instant())) {
                model.put("pausedUntil", DateTimeFormatter.ISO_LOCAL_DATE.format(c.pausedUntil().atOffset(ZoneOffset.UTC)));
            }
            return pages.page(HttpStatus.OK, "preferences", c.language(), model(token, model));
        }).orElseGet(() -> neutral(request));
    }

    @Post(value = "/p/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> savePreferences(String token, HttpRequest<?> request, @Nullable @Body String body) {
        Optional<MessageRef> message = tokens.message(token);
        if (message.isEmpty()) {
            return neutral(request);
        }
        Map<String, List<String>> form = Forms.parse(body);
        if (!forms.accepts(request, "preferences", token, Forms.first(form, "csrf"))) {
            return pages.page(HttpStatus.FORBIDDEN, "neutral", PageRenderer.language(message.get().locale()), model(token, Map.of()));
        }
        String language = "es".equals(Forms.first(form, "language")) ? "es" : "en";
        int pause = Forms.integer(form, "pause", 0);
        Set<String> topics = new LinkedHashSet<>(form.getOrDefault("topics", List.of()));
        topics.retainAll(Preferences.TOPICS);
        preferences.apply(message.get(), "yes".equals(Forms.first(form, "email")), "yes".equals(Forms.first(form, "sms")),
                language, Preferences.PAUSES.contains(pause) ? pause : 0, topics);
        return HttpResponse.seeOther(URI.create("/p/" + token + "?saved=1"));
    }

    private Map<String, Object> model(String token, Map<String, Object> page) {
        return publicPage.model(token, page);
    }

    private HttpResponse<?> neutral(HttpRequest<?> request) {
        return publicPage.neutral(request);
    }
}
