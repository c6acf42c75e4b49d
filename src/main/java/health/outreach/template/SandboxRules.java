package health.outreach.template;

import freemarker.core.Expression;
import freemarker.core.TemplateElement;
import freemarker.template.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
            "BreakInstruction", "ContinueInstruction", "NoParseBlock",
            "ThreadInterruptionCheck"); // the last added by the renderer so its deadline can stop a loop

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

    /** Expressions other than built-ins that may appear; a range (a..b) or a special variable may not. */
    private static final Set<String> EXPRESSIONS = Set.of("AddConcatExpression", "AndExpression", "ArithmeticExpression",
            "BooleanLiteral", "ComparisonExpression", "DefaultToExpression", "Dot", "DynamicKeyName", "ExistsExpression",
            "HashLiteral", "Identifier", "ListLiteral", "LocalLambdaExpression", "MethodCall", "NotExpression",
            "NumberLiteral", "OrExpression", "ParentheticalExpression", "StringLiteral", "UnaryPlusMinusExpression");
    private static final Set<String> SPECIAL_VARIABLES = Set.of(".now", ".lang", ".locale");
    private static final Pattern PARTIAL = Pattern.compile("\"/partials/[a-z0-9-]+\\.ftlh?\"");
    private static final int MAX_LIST_DEPTH = 2;
    /** Deeper than this is refused: no message needs it, and a deep tree costs stack at every render. */
    static final int MAX_DEPTH = 60;

    private SandboxRules() {
    }

    /** Problems found, each naming the directive and its line; empty when the template is acceptable. */
    static List<String> check(Template template) {
        List<String> problems = new ArrayList<>();
        walk(template.getRootTreeNode(), 0, 0, problems);
        return problems;
    }

    /**
     * Checks an element, its expressions and its children. Expressions are walked as the parser
     * built them, so a string literal's own interpolations ({@code "${...}"}) are checked like any
     * other, at any depth.
     */
    @SuppressWarnings("deprecation")
    private static void walk(TemplateElement element, int listDepth, int depth, List<String> problems) {
        String kind = element.getClass().getSimpleName();
        String where = " (line " + element.getBeginLine() + ")";
        if (depth > MAX_DEPTH) {
            problems.add("the template nests more than " + MAX_DEPTH + " levels deep" + where);
            return;
        }
        if (!ELEMENTS.contains(kind)) {
            problems.add("'" + headOf(element.getDescription()) + "' is not allowed in a message template" + where);
            return;
        }
        if ((kind.equals("Include") || kind.equals("LibraryLoad")) && !PARTIAL.matcher(element.getDescription()).find()) {
            problems.add("only library partials can be included, like \"/partials/email-layout.ftlh\"" + where);
        }
        int lists = kind.equals("IteratorBlock") ? listDepth + 1 : listDepth;
        if (lists > MAX_LIST_DEPTH) {
            problems.add("lists nest at most " + MAX_LIST_DEPTH + " deep" + where);
            return;
        }
        for (Object parameter : TreeAccess.parameters(element)) {
            if (parameter instanceof TemplateElement nested) {
                walk(nested, lists, depth + 1, problems);
            } else if (parameter instanceof Expression expression) {
                int[] builtIns = new int[1];
                expression(expression, lists, depth + 1, builtIns, where, problems);
                if (builtIns[0] > MAX_BUILT_INS_PER_EXPRESSION) {
                    problems.add("at most " + MAX_BUILT_INS_PER_EXPRESSION + " built-ins in one expression" + where);
                }
            }
        }
        for (int i = 0; i < element.getChildCount(); i++) {
            walk((TemplateElement) element.getChildAt(i), lists, depth + 1, problems);
        }
    }

    private static void expression(Expression e, int listDepth, int depth, int[] builtIns, String where, List<String> problems) {
        if (depth > MAX_DEPTH) {
            problems.add("the template nests more than " + MAX_DEPTH + " levels deep" + where);
            return;
        }
        String builtIn = TreeAccess.builtInName(e);
        if (builtIn != null) {
            builtIns[0]++;
            if (!BUILT_INS.contains(builtIn)) {
                problems.add("?" + builtIn + " is not allowed in message templates" + where);
            }
        } else {
            String kind = e.getClass().getSimpleName();
            if (kind.equals("Range")) {
                problems.add("ranges (a..b) are not allowed in message templates" + where);
                return;
            }
            if (kind.equals("BuiltinVariable") && !SPECIAL_VARIABLES.contains(e.getCanonicalForm())) {
                problems.add(e.getCanonicalForm() + " is not allowed in message templates" + where);
                return;
            }
            if (!kind.equals("BuiltinVariable") && !EXPRESSIONS.contains(kind)) {
                problems.add("'" + headOf(e.getCanonicalForm()) + "' is not allowed in a message template" + where);
                return;
            }
        }
        for (Object parameter : TreeAccess.parameters(e)) {
            if (parameter instanceof TemplateElement nested) {
                walk(nested, listDepth, depth + 1, problems); // an interpolation inside a string literal
            } else if (parameter instanceof Expression operand) {
                expression(operand, listDepth, depth + 1, builtIns, where, problems);
            }
        }
    }

    private static String headOf(String description) {
        String d = description.replace('\n', ' ');
        return d.length() > 60 ? d.substring(0, 57) + "..." : d;
    }
}
