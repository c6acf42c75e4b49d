package health.outreach.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wrong setting stops the start, and the error names the key as an operator writes it. */
class SettingsValidationTest {

    @ParameterizedTest
    @CsvSource({
            "outreach.templates.sms-max-segments, 0",
            "outreach.email.smtp.port, 70000",
            "outreach.reports.region-prefix-length, 0",
            "outreach.dispatch.error-threshold, 1.5",
    })
    void aWrongValueFailsTheStartNamingTheKey(String key, String value) {
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(Map.of(key, value), Environment.TEST).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("Invalid setting " + key + ":"), messages.toString());
    }
}
