package health.outreach.web;

import health.outreach.common.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Errors as a page shows them: all at once in one summary at the top, each linking to its field,
 * and each message again beside its field (tied to it with {@code aria-describedby}). The page
 * maps the service's field names ({@code steps[1].afterEnrollment}) to its own inputs and words.
 *
 * @param items the summary, in the order found
 * @param at    message by input id, for the field itself
 */
public record PageErrors(List<Item> items, Map<String, String> at) {

    /** One line of the summary: the input's id (the link target), its label, what is wrong. */
    public record Item(String id, String label, String message) {
    }

    /** Where an error belongs on the page: the input's id and the label a person sees. */
    public record Target(String id, String label) {
    }

    public static PageErrors none() {
        return new PageErrors(List.of(), Map.of());
    }

    public static PageErrors of(List<FieldError> errors, Function<String, Target> targets) {
        List<Item> items = new ArrayList<>();
        Map<String, String> at = new LinkedHashMap<>();
        for (FieldError e : errors) {
            Target t = e.field() == null ? null : targets.apply(e.field());
            if (t == null) {
                items.add(new Item("", "", e.message()));
                continue;
            }
            items.add(new Item(t.id(), t.label(), e.message()));
            at.merge(t.id(), e.message(), (a, b) -> a.equals(b) ? a : a + "; " + b);
        }
        return new PageErrors(List.copyOf(items), Map.copyOf(at));
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Whether any of these inputs has an error (a folded section opens when one does). */
    public boolean anyAt(List<String> ids) {
        return ids.stream().anyMatch(at::containsKey);
    }
}
