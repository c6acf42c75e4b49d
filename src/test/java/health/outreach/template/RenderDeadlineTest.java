package health.outreach.template;

import freemarker.template.Template;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The render deadline stops a render while it runs, also one that writes nothing (which the output
 * cap never sees): here a loop of two billion silent steps, far beyond what any machine runs within
 * the deadline, is stopped, and the thread carries no interruption into what it does next.
 */
@MicronautTest(transactional = false)
@Property(name = "outreach.templates.render-timeout", value = "PT0.3S")
class RenderDeadlineTest {

    @Inject
    TemplateRenderer renderer;

    @Inject
    TemplateValidator validator;

    @Test
    void aSilentLoopIsStoppedAtTheDeadline() {
        Template silent = renderer.compile("<#list 1..2000000000 as i></#list>done", TemplatePart.TEXT);
        RenderException e = assertThrows(RenderException.class,
                () -> renderer.process(silent, validator.sample("en", List.of(), true), LinkTracker.NONE));
        assertTrue(e.getMessage().contains("longer than 300 ms"), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted(), "the interruption stays inside the render");

        Template quick = renderer.compile("Hi ${contact.firstName}", TemplatePart.TEXT);
        assertEquals("Hi Alexandria", renderer.process(quick, validator.sample("en", List.of(), true), LinkTracker.NONE));
    }
}
