package health.outreach.config;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.ConfigurationReader;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.BeanCreationException;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.annotation.Order;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds and validates every {@code outreach.*} settings record when the application starts, so a
 * wrong value stops the start instead of the first request or job that happens to need it, and the
 * error names the key an operator writes ({@code outreach.templates.sms-max-segments}), not the
 * record's Java field.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
class SettingsCheck {

    /** One line of Micronaut's "Validation failed for bean definition" message: {@code a.b.Type.field - reason}. */
    private static final Pattern VIOLATION = Pattern.compile("^\\s*[\\w.$]+\\.(\\w+) - (.+)$", Pattern.MULTILINE);

    SettingsCheck(BeanContext context) {
        for (BeanDefinition<?> definition : context.getBeanDefinitions(Qualifiers.byStereotype(ConfigurationReader.class))) {
            String prefix = definition.stringValue(ConfigurationReader.class, "prefix").orElse("");
            if (!definition.getBeanType().getName().startsWith("health.outreach.") || !prefix.startsWith("outreach")) {
                continue;
            }
            try {
                context.getBean(definition);
            } catch (BeanCreationException e) {
                throw named(prefix, e);
            }
        }
    }

    private static RuntimeException named(String prefix, BeanCreationException e) {
        List<String> keys = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = VIOLATION.matcher(String.valueOf(t.getMessage()));
            while (m.find()) {
                keys.add(prefix + "." + NameUtils.hyphenate(m.group(1)) + ": " + m.group(2).strip());
            }
            if (!keys.isEmpty()) {
                return new ConfigurationException("Invalid setting " + String.join("; ", keys), e);
            }
        }
        return e;
    }
}
