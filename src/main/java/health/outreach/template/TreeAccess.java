package health.outreach.template;

import freemarker.core.Expression;
import freemarker.core.TemplateObject;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads FreeMarker's parse tree: the operands of every node and the name of a built-in. FreeMarker
 * walks these itself (its canonical form and its debugger use them) but keeps the accessors
 * package-private, and no public API lists an expression's operands; the sandbox needs them to see
 * inside string literals, so it reads them reflectively, at save time only. A FreeMarker upgrade
 * that renames them fails here loudly rather than letting templates through unchecked.
 */
final class TreeAccess {

    private static final Method COUNT;
    private static final Method VALUE;
    private static final Class<?> BUILT_IN;
    private static final Field KEY;

    static {
        try {
            COUNT = TemplateObject.class.getDeclaredMethod("getParameterCount");
            VALUE = TemplateObject.class.getDeclaredMethod("getParameterValue", int.class);
            BUILT_IN = Class.forName("freemarker.core.BuiltIn");
            KEY = BUILT_IN.getDeclaredField("key");
            COUNT.setAccessible(true);
            VALUE.setAccessible(true);
            KEY.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TreeAccess() {
    }

    /** The node's operands (expressions, nested interpolations, names), collections flattened. */
    static List<Object> parameters(TemplateObject node) {
        List<Object> out = new ArrayList<>();
        try {
            int count = (int) COUNT.invoke(node);
            for (int i = 0; i < count; i++) {
                add(VALUE.invoke(node, i), out);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the template's parse tree", e);
        }
        return out;
    }

    /** The built-in's name ({@code upper_case} in {@code x?upper_case}), or null for any other expression. */
    static String builtInName(Expression e) {
        if (!BUILT_IN.isInstance(e)) {
            return null;
        }
        try {
            return (String) KEY.get(e);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException("cannot read the template's parse tree", ex);
        }
    }

    private static void add(Object value, List<Object> out) {
        if (value instanceof Collection<?> c) {
            c.forEach(v -> add(v, out));
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                add(k, out);
                add(v, out);
            });
        } else if (value != null) {
            out.add(value);
        }
    }
}
