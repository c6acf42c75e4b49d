package health.outreach.template;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A readable plain-text version of an HTML email, for the text/plain part and for reading level.
 * <p>
 * Only what a reader would see is kept: head, scripts, styles and hidden elements (the preheader
 * that inboxes show as a preview) are dropped, so neither the text part nor the grade level repeats
 * them. jsoup decodes entities, so escaped markup such as {@code &lt;b&gt;} comes out as literal
 * {@code <b>} text and is never interpreted.
 */
public final class HtmlText {

    private static final Set<String> SKIPPED = Set.of("head", "style", "script", "template", "title");
    /** Start and end on a line of their own. */
    private static final Set<String> BLOCKS = Set.of("div", "li", "tr", "table", "blockquote", "section",
            "header", "footer", "ul", "ol", "dl", "dt", "dd", "article", "main", "nav", "aside", "address",
            "center", "pre", "figure", "figcaption", "hr", "form", "fieldset");
    /** Blocks that are also set off by one blank line. */
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    private HtmlText() {
    }

    public static String toPlainText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        Writer out = new Writer();
        // A NodeFilter walks the tree iteratively: deeply nested layout tables cannot overflow the stack.
        out.traverse(Jsoup.parse(html).body());
        return tidy(out.sb.toString());
    }

    private static boolean hidden(Element el) {
        if (el.hasAttr("hidden") || "true".equalsIgnoreCase(el.attr("aria-hidden").strip())) {
            return true;
        }
        String style = WHITESPACE.matcher(el.attr("style").toLowerCase(Locale.ROOT)).replaceAll("");
        return style.contains("display:none");
    }

    /** Trim every line, keep at most one blank line in a row, trim the whole. */
    private static String tidy(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            sb.append(line.strip()).append('\n');
        }
        return BLANK_LINES.matcher(sb).replaceAll("\n\n").strip();
    }

    private static final class Writer implements NodeFilter {
        final StringBuilder sb = new StringBuilder();
        /** Newlines owed before the next text: 1 = new line, 2 = blank line. */
        int pendingBreaks;
        boolean pendingSpace;
        /** "- " of a list item, written with its first text so that empty items leave nothing. */
        String prefix;
        /** The text written inside each open link, to compare with its href. */
        final Deque<StringBuilder> links = new ArrayDeque<>();

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode t) {
                text(t.getWholeText());
                return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element el)) {
                return FilterResult.SKIP_ENTIRELY; // comments, doctype, script/style data
            }
            String tag = el.normalName();
            if (SKIPPED.contains(tag) || hidden(el)) {
                return FilterResult.SKIP_ENTIRELY;
            }
            switch (tag) {
                case "br" -> lineBreak();
                case "img" -> {
                    // Alt text stands in for the picture; spaces keep it from gluing to its neighbours.
                    pendingSpace = true;
                    text(el.attr("alt"));
                    pendingSpace = true;
                }
                case "td", "th" -> pendingSpace = true; // cells of one row share a line
                case "a" -> links.push(new StringBuilder());
                case "li" -> {
                    breaks(1);
                    prefix = "- ";
                }
                default -> breaks(PARAGRAPHS.contains(tag) ? 2 : BLOCKS.contains(tag) ? 1 : 0);
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (!(node instanceof Element el)) {
                return FilterResult.CONTINUE;
            }
            String tag = el.normalName();
            switch (tag) {
                case "a" -> endLink(el);
                case "td", "th" -> pendingSpace = true;
                case "li" -> {
                    prefix = null;
                    breaks(1);
                }
                default -> breaks(PARAGRAPHS.contains(tag) ? 2 : BLOCKS.contains(tag) ? 1 : 0);
            }
            return FilterResult.CONTINUE;
        }

        private void endLink(Element a) {
            String text = links.pop().toString().strip();
            String href = a.attr("href").strip();
            // "#" and javascript: lead nowhere a plain-text reader can follow.
            if (href.isEmpty() || href.equals("#") || href.toLowerCase(Locale.ROOT).startsWith("javascript:")) {
                return;
            }
            if (text.isEmpty()) {
                text(href); // an image link with no alt: the address is all there is
            } else if (!text.equals(href) && !href.equalsIgnoreCase("mailto:" + text)
                    && !href.equalsIgnoreCase("tel:" + text)) {
                text(" (" + href + ")");
            }
        }

        void breaks(int n) {
            // Inside a list item that has not written anything yet, the item's own line break stands.
            if (prefix == null) {
                pendingBreaks = Math.max(pendingBreaks, n);
            }
        }

        void lineBreak() {
            flushBreaks();
            sb.append('\n');
            pendingSpace = false;
        }

        void text(String raw) {
            String t = WHITESPACE.matcher(raw).replaceAll(" ");
            if (t.startsWith(" ")) {
                pendingSpace = true;
            }
            boolean trailingSpace = t.endsWith(" ");
            t = t.strip();
            if (!t.isEmpty()) {
                write(t);
            }
            if (trailingSpace) {
                pendingSpace = true;
            }
        }

        private void write(String t) {
            flushBreaks();
            if (prefix != null) {
                sb.append(prefix);
                prefix = null;
                pendingSpace = false;
            }
            if (pendingSpace && sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append(' ');
                links.forEach(l -> l.append(' '));
            }
            pendingSpace = false;
            sb.append(t);
            links.forEach(l -> l.append(t));
        }

        /** Make sure the owed newlines are there, counting those a {@code <br>} already wrote. */
        private void flushBreaks() {
            if (pendingBreaks > 0 && sb.length() > 0) {
                int trailing = 0;
                while (trailing < sb.length() && sb.charAt(sb.length() - 1 - trailing) == '\n') {
                    trailing++;
                }
                sb.append("\n".repeat(Math.max(0, pendingBreaks - trailing)));
                pendingSpace = false;
            }
            pendingBreaks = 0;
        }
    }
}
