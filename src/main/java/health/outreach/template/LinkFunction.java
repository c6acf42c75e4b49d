package health.outreach.template;

import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** {@code link(url)} in templates: checks the URL is absolute http(s) and hands it to the tracker. */
final class LinkFunction implements TemplateMethodModelEx {

    private final LinkTracker tracker;

    LinkFunction(LinkTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public Object exec(@SuppressWarnings("rawtypes") List arguments) throws TemplateModelException {
        if (arguments.size() != 1 || !(arguments.get(0) instanceof TemplateScalarModel scalar)) {
            throw new TemplateModelException("link() takes one URL, like link(\"https://example.org/page\")");
        }
        String url = scalar.getAsString().strip();
        if (!isWebUrl(url)) {
            throw new TemplateModelException("link() needs an absolute http or https URL, not '" + url + "'");
        }
        return tracker.track(url);
    }

    static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && url.length() <= 2000;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
