package health.outreach.web;

import health.outreach.common.Durations;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admin pages' one way to answer: a view under {@code views/admin/} inside the admin layout,
 * with who is signed in, what they may do, and the form token every POST must return. Forms are
 * plain HTML; every POST carries the session's form token, which one filter checks before any
 * handler runs ({@link AdminFormTokens}).
 */
@Singleton
public class AdminPages {

    /** The session cookie set by a form login (its value is the signed login token). */
    public static final String SESSION_COOKIE = "OUTREACH_SESSION";
    /** The hidden field carrying the form token. */
    public static final String CSRF_FIELD = AdminFormTokens.FIELD;
    /** Like the public pages', plus frames from our own origin (the template preview) and our own scripts (live refresh). */
    static final String CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; frame-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final PageRenderer renderer;
    private final AdminFormTokens tokens;
    private final ViewerZone zones;

    public AdminPages(PageRenderer renderer, AdminFormTokens tokens, ViewerZone zones) {
        this.renderer = renderer;
        this.tokens = tokens;
        this.zones = zones;
    }

    /** What views call to put values into words: {@code humane.duration("P3D")} is "3 days". */
    public static final class Humane {
        public String duration(String iso) {
            return Durations.words(iso);
        }

        /** An offset from a date: "7 days before", "3 days after", "on". */
        public String offset(String iso) {
            String words = Durations.words(iso);
            return words.endsWith(" before") ? words : words.equals("no time") ? "on" : words + " after";
        }
    }

    private static final Humane HUMANE = new Humane();

    /** Who is signed in, for views and for checks in controllers. */
    public record Me(String username, String name, String role) {
        public boolean canEdit() {
            return role.equals("ADMIN") || role.equals("COORDINATOR");
        }

        public boolean isAdmin() {
            return role.equals("ADMIN");
        }
    }

    public MutableHttpResponse<String> page(HttpRequest<?> request, HttpStatus status, String view, Map<String, Object> model) {
        Map<String, Object> data = new HashMap<>(model);
        Optional<Me> me = me(request);
        me.ifPresent(m -> data.put("me", m));
        data.put("csrf", tokens.issue(request));
        data.put("path", request.getPath());
        data.putIfAbsent("notice", request.getParameters().get("notice"));
        data.put("zone", zones.of(request));
        data.put("humane", HUMANE);
        return PageRenderer.html(status, renderer.render("admin/" + view, data), CSP);
    }

    /** Paths answered with pages rather than problem+json. */
    public static boolean isPage(String path) {
        return path.equals("/admin") || path.startsWith("/admin/") || path.equals("/logout");
    }

    public MutableHttpResponse<String> page(HttpRequest<?> request, String view, Map<String, Object> model) {
        return page(request, HttpStatus.OK, view, model);
    }

    /**
     * HTML that is not ours (a rendered email) as its own document, for an {@code <iframe sandbox>}
     * on an admin page: no script, no form, no navigation of the admin page; remote images only when
     * {@code remoteImages} (a captured email's may be a tracking pixel, and viewing it must not count
     * as the recipient opening it).
     */
    public static MutableHttpResponse<String> sandboxed(String html, boolean remoteImages) {
        MutableHttpResponse<String> response = PageRenderer.html(HttpStatus.OK, opensLinksInNewTabs(html), "default-src 'none'; "
                + "style-src 'unsafe-inline'; img-src " + (remoteImages ? "https: data:" : "data:")
                + "; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox");
        response.getHeaders().set("X-Frame-Options", "SAMEORIGIN");
        return response;
    }

    /**
     * A link clicked inside the frame would load its page into the frame, which the admin page's
     * policy refuses; a base target sends every link to a new tab instead (the frame's sandbox lets
     * that tab out of the sandbox, and nothing else: no script, no form).
     */
    static String opensLinksInNewTabs(String html) {
        java.util.regex.Matcher head = java.util.regex.Pattern.compile("(?i)<head[^>]*>").matcher(html);
        return head.find() ? html.substring(0, head.end()) + "<base target=\"_blank\">" + html.substring(head.end())
                : "<base target=\"_blank\">" + html;
    }

    /** A refused page: {@code why} says what the person can do about it. */
    public MutableHttpResponse<String> forbidden(HttpRequest<?> request, String why) {
        return page(request, HttpStatus.FORBIDDEN, "forbidden", Map.of("why", why));
    }

    /** A form whose token did not pass: an old page, or posted from another site. {@code nothingWas}: "saved", "changed", ... */
    public MutableHttpResponse<String> refusedForm(HttpRequest<?> request, String nothingWas) {
        return forbidden(request, "The form had expired or came from another site. Nothing was " + nothingWas + ".");
    }

    public Optional<Me> me(HttpRequest<?> request) {
        return request.getUserPrincipal(Authentication.class).map(a -> new Me(a.getName(),
                String.valueOf(a.getAttributes().getOrDefault("name", a.getName())),
                a.getRoles().stream().findFirst().orElse("")));
    }
}
