package health.outreach.tracking;

import health.outreach.booking.BookingIntake;
import health.outreach.booking.BookingService;
import health.outreach.channel.Channel;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicRepository;
import health.outreach.program.ProgramService;
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
import io.micronaut.transaction.TransactionOperations;

import java.net.URI;
import java.sql.Connection;
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
 * unsubscribe, the preference centre and the booking page. An unknown, forged, expired or erased
 * token always gets the same neutral page, so tokens cannot be probed.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class PublicPagesController {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    private static final List<String> METHODS = List.of("phone", "sms", "email");

    private final Tokens tokens;
    private final Engagement engagement;
    private final Preferences preferences;
    private final BookingService bookings;
    private final ClinicRepository clinics;
    private final ProgramService program;
    private final PageRenderer pages;
    private final FormTokens forms;
    private final TrackingSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    PublicPagesController(Tokens tokens, Engagement engagement, Preferences preferences, BookingService bookings,
                          ClinicRepository clinics, ProgramService program, PageRenderer pages, FormTokens forms,
                          TrackingSettings settings, TransactionOperations<Connection> transactions, Clock clock) {
        this.tokens = tokens;
        this.engagement = engagement;
        this.preferences = preferences;
        this.bookings = bookings;
        this.clinics = clinics;
        this.program = program;
        this.pages = pages;
        this.forms = forms;
        this.settings = settings;
        this.transactions = transactions;
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
        return tokens.message(token).<HttpResponse<?>>map(m -> pages.page(HttpStatus.OK, "unsubscribe",
                PageRenderer.language(m.locale()), model(token, Map.of("done", false, "channel", m.channel().name()))))
                .orElseGet(() -> neutral(request));
    }

    /** RFC 8058 one-click (body List-Unsubscribe=One-Click, no cookie, no CSRF token) or the page's button. */
    @Post(value = "/u/{token}", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN, MediaType.MULTIPART_FORM_DATA})
    HttpResponse<?> unsubscribe(String token, HttpRequest<?> request, @Nullable @Body String body,
                                @Nullable @Header("User-Agent") String userAgent) {
        Optional<MessageRef> message = tokens.message(token);
        if (message.isEmpty()) {
            return neutral(request);
        }
        MessageRef m = message.get();
        boolean oneClick = body != null && body.contains("List-Unsubscribe=One-Click");
        String agent = userAgent == null ? "unknown" : (userAgent.length() > 200 ? userAgent.substring(0, 200) : userAgent);
        engagement.unsubscribe(m, oneClick ? "one-click unsubscribe (RFC 8058)" : "unsubscribe page",
                "POST /u for message " + m.id() + ", user agent: " + agent);
        return pages.page(HttpStatus.OK, "unsubscribe", PageRenderer.language(m.locale()),
                model(token, Map.of("done", true, "channel", m.channel().name())));
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

    @Get("/book/{token}")
    HttpResponse<?> bookingPage(String token, HttpRequest<?> request) {
        return tokens.message(token).<HttpResponse<?>>map(m -> bookingForm(token, m, null, HttpStatus.OK))
                .orElseGet(() -> neutral(request));
    }

    @Post(value = "/book/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> book(String token, HttpRequest<?> request, @Nullable @Body String body) {
        Optional<MessageRef> message = tokens.message(token);
        if (message.isEmpty()) {
            return neutral(request);
        }
        MessageRef m = message.get();
        String language = PageRenderer.language(m.locale());
        Map<String, List<String>> form = Forms.parse(body);
        if (!forms.accepts(request, "booking", token, Forms.first(form, "csrf"))) {
            return pages.page(HttpStatus.FORBIDDEN, "neutral", language, model(token, Map.of()));
        }
        long clinicId = Forms.integer(form, "clinic", -1);
        String times = Forms.first(form, "times");
        String method = Forms.first(form, "method");
        if (clinics.findById(clinicId).isEmpty() || times == null || times.isBlank() || times.length() > 500
                || !METHODS.contains(method)) {
            return bookingForm(token, m, "book.error", HttpStatus.UNPROCESSABLE_ENTITY);
        }
        transactions.executeWrite(status -> bookings.record(new BookingIntake(clinicId, "PAGE", null, "REQUESTED", null,
                times.strip(), method, token, null, null, clock.instant())));
        return pages.page(HttpStatus.OK, "booking", language, model(token, Map.of("done", true)));
    }

    private HttpResponse<?> bookingForm(String token, MessageRef m, String errorKey, HttpStatus status) {
        List<Clinic> all = clinics.listOrderByName();
        long selected = m.clinicId() != null ? m.clinicId() : all.isEmpty() ? -1 : all.get(0).id();
        Map<String, Object> model = new HashMap<>(Map.of("done", false, "csrf", forms.issue("booking", token),
                "clinics", all.stream().map(c -> Map.of("id", c.id(), "name", c.name(), "address", c.address() == null ? "" : c.address())).toList(),
                "clinicId", selected, "methods", METHODS));
        String language = PageRenderer.language(m.locale());
        if (errorKey != null) {
            model.put("errorKey", errorKey); // the page's own texts carry it, in its language
        }
        return pages.page(status, "booking", language, model(token, model));
    }

    private Map<String, Object> model(String token, Map<String, Object> page) {
        Map<String, Object> model = new HashMap<>(page);
        model.put("token", token);
        model.put("programName", program.current().name());
        model.put("programAddress", program.current().postalAddress());
        return model;
    }

    private HttpResponse<?> neutral(HttpRequest<?> request) {
        String accept = request.getHeaders().get("Accept-Language");
        String language = accept != null && accept.toLowerCase().startsWith("es") ? "es" : "en";
        return pages.page(HttpStatus.NOT_FOUND, "neutral", language, Map.of("programName", program.current().name()));
    }
}
