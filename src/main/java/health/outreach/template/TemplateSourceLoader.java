package health.outreach.template;

import freemarker.cache.TemplateLoader;
import jakarta.inject.Singleton;

import java.io.Reader;
import java.io.StringReader;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where FreeMarker may load templates from, and nowhere else: the library's partials (read once at
 * start) and parts of stored versions. Any other name — a file path, a URL, "../.." — is simply not
 * found. FreeMarker normalises names before asking, so escapes above the root never reach here.
 */
@Singleton
class TemplateSourceLoader implements TemplateLoader {

    private static final Pattern PARTIAL = Pattern.compile("partials/[a-z0-9-]+\\.ftlh?");
    private static final Pattern STORED = Pattern.compile("v/(\\d{1,18})/([A-Za-z0-9-]{1,35})/(subject\\.ftl|html\\.ftlh|text\\.ftl|sms\\.ftl)");

    private final Map<String, String> partials;
    private final TemplateStore store;

    TemplateSourceLoader(LibraryFiles library, TemplateStore store) {
        this.partials = Map.copyOf(library.read().partials());
        this.store = store;
    }

    @Override
    public Object findTemplateSource(String name) {
        if (PARTIAL.matcher(name).matches()) {
            return partials.get(name);
        }
        Matcher m = STORED.matcher(name);
        if (m.matches()) {
            TemplatePart part = partOf(m.group(3));
            return store.variantPart(Long.parseLong(m.group(1)), m.group(2), part).orElse(null);
        }
        return null;
    }

    private static TemplatePart partOf(String fileName) {
        for (TemplatePart part : TemplatePart.values()) {
            if (part.fileName().equals(fileName)) {
                return part;
            }
        }
        throw new IllegalArgumentException(fileName);
    }

    Map<String, String> partials() {
        return partials;
    }

    @Override
    public long getLastModified(Object source) {
        return 0; // stored versions never change; partials change only with a new release
    }

    @Override
    public Reader getReader(Object source, String encoding) {
        return new StringReader((String) source);
    }

    @Override
    public void closeTemplateSource(Object source) {
        // nothing held open
    }
}
