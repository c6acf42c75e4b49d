package health.outreach.template;

import freemarker.cache.MruCacheStorage;
import freemarker.core.HTMLOutputFormat;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.PlainTextOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.core.TemplateConfiguration;
import freemarker.core._CoreAPI;
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
    private static final String ADMITTED = "outreach.admitted";
    private static final String TOO_DEEP = "the template nests too deeply";

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
        } catch (StackOverflowError e) {
            throw new RenderException(TOO_DEEP);
        } catch (IOException e) {
            throw new RenderException("template " + versionId + "/" + locale + "/" + part.field() + " is missing");
        }
        return process(admitted(template), model, links);
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
            Template template = new Template("draft/" + part.fileName(), null, new StringReader(source), configuration, tc, null);
            _CoreAPI.addThreadInterruptedChecks(template);
            return template;
        } catch (ParseException e) {
            throw new RenderException(describe(e));
        } catch (StackOverflowError e) {
            throw new RenderException(TOO_DEEP); // FreeMarker's parser recurses once per nesting level
        } catch (IOException e) {
            throw new RenderException("the template could not be read: " + e.getMessage());
        }
    }

    /** Problems with a compiled draft under the sandbox rules; empty when acceptable. */
    public List<String> sandboxProblems(Template template) {
        return SandboxRules.check(template);
    }

    /**
     * A stored version, checked once when first loaded (then cached): under today's sandbox rules,
     * so a version saved under older rules cannot run what they missed, and with interruption
     * checks in its loops so the render deadline can stop it.
     */
    private static Template admitted(Template template) {
        Object verdict = template.getCustomAttribute(ADMITTED);
        if (verdict == null) {
            synchronized (template) {
                verdict = template.getCustomAttribute(ADMITTED);
                if (verdict == null) {
                    List<String> problems = SandboxRules.check(template);
                    if (problems.isEmpty()) {
                        _CoreAPI.addThreadInterruptedChecks(template);
                        verdict = "";
                    } else {
                        verdict = "this version breaks the template rules: " + problems.get(0);
                    }
                    template.setCustomAttribute(ADMITTED, verdict);
                }
            }
        }
        if (!"".equals(verdict)) {
            throw new RenderException((String) verdict);
        }
        return template;
    }

    public String process(Template template, Map<String, Object> model, LinkTracker links) {
        Map<String, Object> data = new HashMap<>(model);
        data.put("link", new LinkFunction(links));
        CappedWriter out = new CappedWriter(settings.maxOutputChars(), settings.renderTimeout().toNanos());
        RenderDeadline.Watch watch = RenderDeadline.start(settings.renderTimeout());
        try {
            template.process(data, out);
            watch.finish();
            return out.toString();
        } catch (RuntimeException | TemplateException | IOException | StackOverflowError e) {
            if (watch.finish()) {
                throw new RenderException("rendering took longer than " + settings.renderTimeout().toMillis() + " ms");
            }
            throw translate(e);
        }
    }

    /** What the coordinator (or the delivery log) is told about a render that failed. */
    private static RuntimeException translate(Throwable e) {
        if (e instanceof InvalidReferenceException ire) {
            return new RenderException(where(ire) + "unknown variable or missing value: " + blamed(ire));
        }
        if (e instanceof TemplateException te) {
            return te.getCause() instanceof RenderException r ? r
                    : new RenderException(where(te) + firstLine(te.getMessageWithoutStackTop()));
        }
        if (e instanceof StackOverflowError) {
            return new RenderException(TOO_DEEP);
        }
        if (e instanceof IOException io) {
            return new RenderException("rendering failed: " + io.getMessage());
        }
        return (RuntimeException) e; // RenderException from the writer's caps, or a bug worth its stack trace
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
