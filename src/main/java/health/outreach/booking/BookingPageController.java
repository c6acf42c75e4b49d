package health.outreach.booking;

import health.outreach.program.Clinic;
import health.outreach.program.ClinicService;
import health.outreach.tracking.MessageRef;
import health.outreach.tracking.PublicPage;
import health.outreach.tracking.Tokens;
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
import health.outreach.tracking.LinkScanners;
import health.outreach.tracking.Engagement;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The booking page every message links to, no login: the person asks a clinic for a consultation,
 * recorded as a booking request attributed to the message the link came from.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class BookingPageController {

    private static final List<String> METHODS = List.of("phone", "sms", "email");
    /** The link number a click on the booking page is recorded under: not one of the message's own links (0, 1, ...). */
    private static final long BOOKING_PAGE_LINK = -1;

    private final Tokens tokens;
    private final BookingService bookings;
    private final ClinicService clinics;
    private final PublicPage publicPage;
    private final PageRenderer pages;
    private final FormTokens forms;
    private final Clock clock;
    private final Engagement engagement;

    BookingPageController(Tokens tokens, BookingService bookings, ClinicService clinics, PublicPage publicPage,
                          PageRenderer pages, FormTokens forms, Clock clock,
                          Engagement engagement) {
        this.engagement = engagement;
        this.tokens = tokens;
        this.bookings = bookings;
        this.clinics = clinics;
        this.publicPage = publicPage;
        this.pages = pages;
        this.forms = forms;
        this.clock = clock;
    }

    /**
     * The message's booking button. Opening it is a click on that message (the main one it has),
     * unless a mail scanner is looking.
     */
    @Get("/book/{token}")
    HttpResponse<?> bookingPage(String token, HttpRequest<?> request, @Nullable @Header("User-Agent") String userAgent) {
        Optional<MessageRef> message = tokens.message(token);
        if (message.isEmpty()) {
            return publicPage.neutral(request);
        }
        if (!LinkScanners.isScanner(request.getMethodName(), userAgent)) {
            engagement.click(new Tokens.Click(message.get(), BOOKING_PAGE_LINK, "/book", false));
        }
        return bookingForm(token, message.get(), null, HttpStatus.OK);
    }

    @Post(value = "/book/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> book(String token, HttpRequest<?> request, @Nullable @Body String body) {
        Optional<MessageRef> message = tokens.message(token);
        if (message.isEmpty()) {
            return publicPage.neutral(request);
        }
        MessageRef m = message.get();
        String language = PageRenderer.language(m.locale());
        Map<String, List<String>> form = Forms.parse(body);
        if (!forms.accepts(request, "booking", token, Forms.first(form, "csrf"))) {
            return pages.page(HttpStatus.FORBIDDEN, "neutral", language, publicPage.model(token, Map.of()));
        }
        long clinicId = Forms.integer(form, "clinic", -1);
        String times = Forms.first(form, "times");
        String method = Forms.first(form, "method");
        if (clinics.find(clinicId).isEmpty() || times == null || times.isBlank() || times.length() > 500
                || !METHODS.contains(method)) {
            return bookingForm(token, m, "book.error", HttpStatus.UNPROCESSABLE_ENTITY);
        }
        bookings.request(new BookingIntake(clinicId, "PAGE", null, "REQUESTED", null,
                times.strip(), method, token, null, null, clock.instant()));
        return pages.page(HttpStatus.OK, "booking", language, publicPage.model(token, Map.of("done", true)));
    }

    private HttpResponse<?> bookingForm(String token, MessageRef m, String errorKey, HttpStatus status) {
        List<Clinic> all = clinics.list();
        long selected = m.clinicId() != null ? m.clinicId() : all.isEmpty() ? -1 : all.get(0).id();
        Map<String, Object> model = new HashMap<>(Map.of("done", false, "csrf", forms.issue("booking", token),
                "clinics", all.stream().map(c -> Map.of("id", c.id(), "name", c.name(), "address", c.address() == null ? "" : c.address())).toList(),
                "clinicId", selected, "methods", METHODS));
        String language = PageRenderer.language(m.locale());
        if (errorKey != null) {
            model.put("errorKey", errorKey); // the page's own texts carry it, in its language
        }
        return pages.page(status, "booking", language, publicPage.model(token, model));
    }

}
