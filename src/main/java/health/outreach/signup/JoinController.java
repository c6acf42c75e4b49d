package health.outreach.signup;

import health.outreach.config.OutreachConfig;
import health.outreach.contact.ContactService;
import health.outreach.tracking.PublicPage;
import health.outreach.tracking.Tokens;
import health.outreach.web.ClientAddress;
import health.outreach.web.FormTokens;
import health.outreach.web.Forms;
import health.outreach.web.PageRenderer;
import health.outreach.tracking.Preferences;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public sign-up pages, no login, in English or Spanish: the form ({@code ?embed=1} is the
 * variant partner sites may frame), and the confirmation link of the email, whose GET only shows a
 * button (mail scanners follow links) and whose POST confirms. An unknown form, or a confirmation
 * link that is unknown, used or expired, gets the same page whatever the reason.
 */
@Controller("/join")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class JoinController {

    /** Bots fill every field; people never see this one. */
    static final String HONEYPOT = "website";

    private final FormService forms;
    private final Signups signups;
    private final SubmissionLimit limit;
    private final ClientAddress clientAddress;
    private final ClientHash clientHash;
    private final FormTokens formTokens;
    private final PageRenderer pages;
    private final PublicPage publicPage;
    private final Tokens tokens;
    private final ContactService contacts;
    private final String baseUrl;

    JoinController(FormService forms, Signups signups, SubmissionLimit limit, ClientAddress clientAddress, ClientHash clientHash,
                   FormTokens formTokens, PageRenderer pages, PublicPage publicPage, Tokens tokens, ContactService contacts,
                   OutreachConfig config) {
        this.forms = forms;
        this.signups = signups;
        this.limit = limit;
        this.clientAddress = clientAddress;
        this.clientHash = clientHash;
        this.formTokens = formTokens;
        this.pages = pages;
        this.publicPage = publicPage;
        this.tokens = tokens;
        this.contacts = contacts;
        this.baseUrl = config.baseUrl();
    }

    @Get(value = "/{key}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> form(String key, HttpRequest<?> request, @Nullable @QueryValue String lang, @Nullable @QueryValue String embed) {
        String language = language(lang, request);
        boolean framed = "1".equals(embed);
        return forms.byKey(key).<HttpResponse<?>>map(f -> formPage(f, language, framed, HttpStatus.OK, Map.of(), Map.of()))
                .orElseGet(() -> message(HttpStatus.NOT_FOUND, language, "signup.unknown", null));
    }

    @Post(value = "/{key}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> submit(String key, HttpRequest<?> request, @Nullable @Body String body, @Nullable @QueryValue String lang,
                           @Nullable @QueryValue String embed) {
        Map<String, List<String>> fields = Forms.parse(body);
        String language = language(lang != null ? lang : Forms.first(fields, "lang"), request);
        boolean framed = "1".equals(embed);
        Optional<SignupForm> form = forms.byKey(key);
        if (form.isEmpty()) {
            return message(HttpStatus.NOT_FOUND, language, "signup.unknown", null);
        }
        SignupForm f = form.get();
        String address = clientAddress.of(request);
        if (!limit.tryTake(ClientAddress.limitKey(address))) {
            return framing(f, framed, message(HttpStatus.TOO_MANY_REQUESTS, language, "signup.limited", f).header("Retry-After", "3600"));
        }
        if (!formTokens.accepts(request, "signup", f.key(), Forms.first(fields, "csrf"))) {
            return framing(f, framed, message(HttpStatus.FORBIDDEN, language, "signup.refused", f));
        }
        String honeypot = Forms.first(fields, HONEYPOT);
        if (honeypot != null && !honeypot.isBlank()) {
            // The same answer as a real sign-up, so a bot learns nothing; nothing is written or sent.
            return framing(f, framed, message(HttpStatus.OK, language, "signup.done", f));
        }
        String page = baseUrl + "/join/" + f.key() + "?lang=" + language + (framed ? "&embed=1" : "");
        JoinInput.Parsed parsed = JoinInput.parse(f, language, fields, contacts.normalizer(), page, clientHash.of(address));
        if (!parsed.ok()) {
            return formPage(f, language, framed, HttpStatus.UNPROCESSABLE_ENTITY, parsed.values(), parsed.errors());
        }
        signups.submit(f, parsed.submission());
        return framing(f, framed, message(HttpStatus.OK, language, "signup.done", f));
    }

    @Get(value = "/confirm/{token}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> confirmPage(String token, HttpRequest<?> request) {
        return pending(token).<HttpResponse<?>>map(r -> pages.page(HttpStatus.OK, "join-confirm", r.language(),
                        publicPage.model(token, Map.of("done", false, "csrf", formTokens.issue("signup-confirm", token)))))
                .orElseGet(() -> publicPage.neutral(request));
    }

    @Post(value = "/confirm/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> confirm(String token, HttpRequest<?> request, @Nullable @Body String body) {
        Optional<SignupRequests.Request> open = pending(token);
        if (open.isEmpty()) {
            return publicPage.neutral(request);
        }
        Map<String, List<String>> fields = Forms.parse(body, 10);
        if (!formTokens.accepts(request, "signup-confirm", token, Forms.first(fields, "csrf"))) {
            return pages.page(HttpStatus.FORBIDDEN, "neutral", open.get().language(), publicPage.model(token, Map.of()));
        }
        String evidence = "confirmed with the button of " + baseUrl + "/join/confirm (POST) for message "
                + open.get().messageId() + ", client address hash " + clientHash.of(clientAddress.of(request));
        Long message = tokens.message(token).map(m -> m.id()).orElse(null);
        return signups.confirm(open.get().id(), evidence, message)
                .<HttpResponse<?>>map(r -> pages.page(HttpStatus.OK, "join-confirm", r.language(), publicPage.model(token, Map.of("done", true))))
                .orElseGet(() -> publicPage.neutral(request));
    }

    /** The open request a confirmation link's token leads to: the token names the message that carried it. */
    private Optional<SignupRequests.Request> pending(String token) {
        return tokens.message(token).flatMap(m -> signups.pendingForMessage(m.id()));
    }

    private HttpResponse<?> formPage(SignupForm f, String language, boolean framed, HttpStatus status, Map<String, Object> values,
                                     Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("form", f);
        model.put("text", f.text(language));
        model.put("values", values);
        model.put("errors", errors);
        model.put("csrf", formTokens.issue("signup", f.key()));
        model.put("action", "/join/" + f.key() + "?lang=" + language + (framed ? "&embed=1" : ""));
        model.put("other", "/join/" + f.key() + "?lang=" + (language.equals("es") ? "en" : "es") + (framed ? "&embed=1" : ""));
        model.put("honeypot", HONEYPOT);
        model.put("allTopics", Preferences.TOPICS);
        return framing(f, framed, pages.page(status, "join", language, publicPage.model("", model)));
    }

    private MutableHttpResponse<?> message(HttpStatus status, String language, String key, @Nullable SignupForm f) {
        Map<String, Object> model = new HashMap<>(Map.of("key", key));
        if (f != null) {
            model.put("back", "/join/" + f.key() + "?lang=" + language);
        }
        return pages.page(status, "join-message", language, publicPage.model("", model));
    }

    /**
     * Pages refuse framing; the embeddable variant may be framed by the form's listed partner sites
     * only (CSP frame-ancestors; X-Frame-Options cannot name origins, so it goes).
     */
    private static MutableHttpResponse<?> framing(SignupForm f, boolean framed, MutableHttpResponse<?> response) {
        if (!framed) {
            return response;
        }
        String ancestors = f.partnerOrigins().isEmpty() ? "'none'" : String.join(" ", f.partnerOrigins());
        response.getHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                + "form-action 'self'; frame-ancestors " + ancestors + "; base-uri 'none'");
        response.getHeaders().remove("X-Frame-Options");
        return response;
    }

    private static String language(@Nullable String asked, HttpRequest<?> request) {
        if ("es".equals(asked) || "en".equals(asked)) {
            return asked;
        }
        String accept = request.getHeaders().get("Accept-Language");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).startsWith("es") ? "es" : "en";
    }
}
