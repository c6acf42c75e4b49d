package health.outreach.template;

import freemarker.cache.MruCacheStorage;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.PlainTextOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.core.TemplateConfiguration;
import freemarker.template.Configuration;
import freemarker.template.SimpleObjectWrapper;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one hardened FreeMarker configuration. {@code ?new} resolves nothing, {@code ?api} is off, the
 * object wrapper exposes only maps, lists and scalars, templates load only from the library's
 * partials and stored versions, HTML parts auto-escape, and every render is capped in time, size
 * and depth. Stored versions are immutable, so compiled templates are cached without re-checking.
 */
@Singleton
public class TemplateRenderer {

    private static final String VERSION_PREFIX = "v/";

    private final Configuration configuration;
    private final TemplateSettings settings;

    public TemplateRenderer(TemplateSourceLoader loader, TemplateSettings settings) {
        this.settings = settings;
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setObjectWrapper(new SimpleObjectWrapper(Configuration.VERSION_2_3_34));
        cfg.setTemplateLoader(loader);
        cfg.setLocalizedLookup(false);
        cfg.setRecognizeStandardFileExtensions(true);
        cfg.setTagSyntax(Configuration.ANGLE_BRACKET_TAG_SYNTAX);
        cfg.setInterpolationSyntax(Configuration.DOLLAR_INTERPOLATION_SYNTAX);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setShowErrorTips(false);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setOutputEncoding("UTF-8");
        cfg.setLocale(Locale.US);
        cfg.setBooleanFormat("c");
        cfg.setCacheStorage(new MruCacheStorage(200, 2000));
        cfg.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
        this.configuration = cfg;
    }

    /** Name under which a stored variant part is loaded (and cached). */
    static String storedName(long versionId, String locale, TemplatePart part) {
        return VERSION_PREFIX + versionId + "/" + locale + "/" + part.fileName();
    }

    /** Renders a part of a stored version. */
    public String render(long versionId, String locale, TemplatePart part, Map<String, Object> model, LinkTracker links) {
        Template template;
        try {
            template = configuration.getTemplate(storedName(versionId, locale, part));
        } catch (ParseException e) {
            throw new RenderException(describe(e));
        } catch (IOException e) {
            throw new RenderException("template " + versionId + "/" + locale + "/" + part.field() + " is missing");
        }
        return process(template, model, links);
    }

    /** Renders a library partial on its own (the SMS opt-out line added to a first message). */
    public String renderPartial(String name, Map<String, Object> model) {
        try {
            return process(configuration.getTemplate(name), model, LinkTracker.NONE);
        } catch (IOException e) {
            throw new RenderException("the library has no " + name);
        }
    }

    /** Compiles a part that is not stored yet (validation on save). */
    public Template compile(String source, TemplatePart part) {
        TemplateConfiguration tc = new TemplateConfiguration();
        tc.setParentConfiguration(configuration);
        tc.setOutputFormat(part == TemplatePart.HTML ? HTMLOutputFormat.INSTANCE : PlainTextOutputFormat.INSTANCE);
        try {
            return new Template("draft/" + part.fileName(), null, new StringReader(source), configuration, tc, null);
        } catch (ParseException e) {
            throw new RenderException(describe(e));
        } catch (IOException e) {
            throw new RenderException("the template could not be read: " + e.getMessage());
        }
    }

    /** Problems with a compiled draft under the sandbox rules; empty when acceptable. */
    public List<String> sandboxProblems(Template template) {
        return SandboxRules.check(template);
    }

    public String process(Template template, Map<String, Object> model, LinkTracker links) {
        Map<String, Object> data = new HashMap<>(model);
        data.put("link", new LinkFunction(links));
        CappedWriter out = new CappedWriter(settings.maxOutputChars(), settings.renderTimeout().toNanos());
        try {
            template.process(data, out);
            return out.toString();
        } catch (InvalidReferenceException e) {
            throw new RenderException(where(e) + "unknown variable or missing value: " + blamed(e));
        } catch (TemplateException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RenderException r) {
                throw r;
            }
            throw new RenderException(where(e) + firstLine(e.getMessageWithoutStackTop()));
        } catch (RenderException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw new RenderException("the template nests too deeply");
        } catch (IOException e) {
            throw new RenderException("rendering failed: " + e.getMessage());
        }
    }

    private static String where(TemplateException e) {
        return e.getLineNumber() == null ? "" : "line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": ";
    }

    private static String blamed(TemplateException e) {
        String expression = e.getBlamedExpressionString();
        return expression == null ? firstLine(e.getMessageWithoutStackTop()) : expression;
    }

    static String describe(ParseException e) {
        return "line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + firstLine(e.getEditorMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "error";
        }
        String line = message.strip().split("\\R", 2)[0];
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
