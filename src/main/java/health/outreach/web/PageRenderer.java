package health.outreach.web;

import health.outreach.common.LanguageTags;
import freemarker.cache.ClassTemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.core.Environment;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TimeZone;

/**
 * Renders the service's own pages ({@code src/main/resources/views/*.ftlh}, HTML auto-escaped) in
 * English or Spanish. These templates are ours, not coordinators', so they use the ordinary object
 * wrapper; the message sandbox is a different configuration. Pages carry a strict CSP and refuse framing.
 */
@Singleton
public class PageRenderer {

    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final Configuration configuration;

    public PageRenderer() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setTemplateLoader(new ClassTemplateLoader(PageRenderer.class, "/views"));
        cfg.setRecognizeStandardFileExtensions(true);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setObjectWrapper(new HumaneWrapper());
        cfg.setDateTimeFormat("d MMM yyyy, HH:mm z");
        cfg.setDateFormat("d MMM yyyy");
        cfg.setTimeFormat("HH:mm");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setDefaultEncoding("UTF-8");
        this.configuration = cfg;
    }

    /** "es" for Spanish-speaking people, "en" for everyone else. */
    public static String language(String locale) {
        return locale != null && LanguageTags.language(locale).equals("es") ? "es" : "en";
    }

    public MutableHttpResponse<String> page(HttpStatus status, String view, String language, Map<String, Object> model) {
        Map<String, Object> data = new HashMap<>(model);
        data.put("lang", language);
        data.put("t", texts(language));
        return html(status, render(view, data), CSP);
    }

    /**
     * One of our views rendered as it is (HTML auto-escaped), for pages that build their own model.
     * Times show in the model's {@code zone} (a ZoneId; UTC without one), month names in its
     * {@code lang}.
     */
    public String render(String view, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        try {
            Environment env = configuration.getTemplate(view + ".ftlh").createProcessingEnvironment(model, out);
            env.setTimeZone(TimeZone.getTimeZone(model.get("zone") instanceof ZoneId z ? z : ZoneOffset.UTC));
            env.setLocale("es".equals(model.get("lang")) ? Locale.forLanguageTag("es") : Locale.ENGLISH);
            env.process();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("page " + view + " failed to render", e);
        }
        return out.toString();
    }

    /**
     * An HTML response with the headers every page carries; {@code csp} is the page's policy.
     * Referrer-Policy is same-origin, not no-referrer: no page URL (with its token) leaves for
     * another site either way, but under no-referrer a browser posts our own forms with
     * {@code Origin: null}, which the server refuses (403) as it must refuse sandboxed frames.
     */
    public static MutableHttpResponse<String> html(HttpStatus status, String body, String csp) {
        return HttpResponse.<String>status(status).body(body).contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .header("Content-Security-Policy", csp)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }

    private static Map<String, String> texts(String language) {
        ResourceBundle bundle = ResourceBundle.getBundle("views.messages", Locale.forLanguageTag(language));
        Map<String, String> texts = new HashMap<>();
        bundle.keySet().forEach(k -> texts.put(k, bundle.getString(k)));
        return texts;
    }
}
