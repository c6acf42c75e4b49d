package health.outreach.template;

import freemarker.core.TemplateElement;
import freemarker.template.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a stored template may contain, checked on its parse tree before it is saved. An allow-list:
 * conditionals, lists (at most two deep), interpolations, includes and imports of library partials,
 * calls to their macros, and a fixed set of harmless built-ins. Everything that could run away —
 * ranges, assignments (string doubling), macro and function definitions (recursion), {@code ?eval},
 * {@code ?interpret}, {@code ?new}, {@code ?api}, padding to huge widths, turning off escaping —
 * is refused here, so render-time caps are a second line, not the only one.
 * Library partials are trusted code and are not held to these rules.
 */
final class SandboxRules {

    private static final Set<String> ELEMENTS = Set.of("MixedContent", "TextBlock", "DollarVariable", "IfBlock",
            "ConditionalBlock", "IteratorBlock", "Items", "Sep", "ElseOfList", "ListElseContainer", "SwitchBlock",
            "Case", "Include", "LibraryLoad", "UnifiedCall", "Comment", "TrimInstruction", "Compress",
            "BreakInstruction", "ContinueInstruction", "NoParseBlock");

    private static final Set<String> BUILT_INS = Set.of("has_content", "upper_case", "lower_case", "cap_first",
            "uncap_first", "capitalize", "trim", "length", "size", "first", "last", "contains", "starts_with",
            "ends_with", "string", "c", "cn", "number", "date", "time", "datetime", "date_if_unknown", "url", "url_path",
            "index_of", "last_index_of", "is_string", "is_number", "is_date", "is_sequence", "is_hash", "is_boolean",
            "keys", "values", "join", "then", "switch", "abs", "round", "floor", "ceiling", "is_first", "is_last",
            "index", "counter", "has_next", "item_parity", "item_cycle", "lower_abc", "upper_abc", "boolean",
            "truncate", "truncate_w", "truncate_c", "remove_beginning", "remove_ending",
            "ensure_starts_with", "ensure_ends_with", "substring", "keep_before", "keep_after",
            "keep_before_last", "keep_after_last", "reverse", "sort", "sort_by", "seq_contains",
            "filter", "map", "take_while", "drop_while", "min", "max");
    // Left out on purpose: ?replace and ?html/?esc grow a string with each application (chained,
    // exponentially); ?split, ?chunk, ?word_list and ?sequence turn long literals into big sequences.
    private static final int MAX_BUILT_INS_PER_EXPRESSION = 3;

    private static final Pattern STRING_LITERAL = Pattern.compile("r?\"(?:[^\"\\\\]|\\\\.)*\"|r?'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern BUILT_IN = Pattern.compile("\\?\\s*([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern PARTIAL = Pattern.compile("\"/partials/[a-z0-9-]+\\.ftlh?\"");
    private static final int MAX_LIST_DEPTH = 2;

    private SandboxRules() {
    }

    /** Problems found, each naming the directive and its line; empty when the template is acceptable. */
    static List<String> check(Template template) {
        List<String> problems = new ArrayList<>();
        walk(template.getRootTreeNode(), 0, problems);
        return problems;
    }

    @SuppressWarnings("deprecation")
    private static void walk(TemplateElement element, int listDepth, List<String> problems) {
        String kind = element.getClass().getSimpleName();
        String description = element.getDescription();
        String where = " (line " + element.getBeginLine() + ")";
        if (!ELEMENTS.contains(kind)) {
            problems.add("'" + headOf(description) + "' is not allowed in a message template" + where);
            return;
        }
        if (!kind.equals("TextBlock") && !kind.equals("Comment") && !kind.equals("NoParseBlock")) {
            checkExpression(description, where, problems);
        }
        if ((kind.equals("Include") || kind.equals("LibraryLoad")) && !PARTIAL.matcher(description).find()) {
            problems.add("only library partials can be included, like \"/partials/email-layout.ftlh\"" + where);
        }
        int depth = kind.equals("IteratorBlock") ? listDepth + 1 : listDepth;
        if (depth > MAX_LIST_DEPTH) {
            problems.add("lists nest at most " + MAX_LIST_DEPTH + " deep" + where);
            return;
        }
        for (int i = 0; i < element.getChildCount(); i++) {
            walk((TemplateElement) element.getChildAt(i), depth, problems);
        }
    }

    private static void checkExpression(String description, String where, List<String> problems) {
        String code = STRING_LITERAL.matcher(description).replaceAll("\"\"");
        if (code.contains("..")) {
            problems.add("ranges (a..b) are not allowed in message templates" + where);
        }
        Matcher m = BUILT_IN.matcher(code);
        int count = 0;
        while (m.find()) {
            if (++count == MAX_BUILT_INS_PER_EXPRESSION + 1) {
                problems.add("at most " + MAX_BUILT_INS_PER_EXPRESSION + " built-ins in one expression" + where);
            }
            String name = m.group(1);
            if (!BUILT_INS.contains(name)) {
                problems.add("?" + name + " is not allowed in message templates" + where);
            }
        }
    }

    private static String headOf(String description) {
        String d = description.replace('\n', ' ');
        return d.length() > 60 ? d.substring(0, 57) + "..." : d;
    }
}
