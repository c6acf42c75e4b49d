package health.outreach.support;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.List;

/**
 * axe-core (Deque's accessibility engine, through its Selenium binding) on the page the browser
 * shows: WCAG 2.1 A and AA rules and axe's best practices. A serious or critical violation fails
 * the test, naming the rule and where it was found.
 */
public final class Accessibility {

    private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");

    private Accessibility() {
    }

    public static void check(WebDriver driver, String page) {
        Results results = new AxeBuilder().withTags(TAGS).analyze(driver);
        if (results.isErrored()) {
            throw new AssertionError("axe could not run on " + page + ": " + results.getErrorMessage());
        }
        List<String> serious = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(Accessibility::describe)
                .toList();
        if (!serious.isEmpty()) {
            throw new AssertionError("axe on " + page + " (" + driver.getCurrentUrl() + "): " + String.join("\n", serious));
        }
    }

    /** Whether the page is wider than the window (a phone would scroll sideways). */
    public static boolean scrollsSideways(WebDriver driver) {
        Object wider = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        return Boolean.TRUE.equals(wider);
    }

    private static String describe(Rule r) {
        List<String> where = r.getNodes().stream().limit(5).map(CheckedNode::getTarget).map(String::valueOf).toList();
        return r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at " + where;
    }
}
