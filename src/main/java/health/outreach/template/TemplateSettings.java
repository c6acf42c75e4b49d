package health.outreach.template;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import java.time.Duration;

/**
 * @param smsMaxSegments      an SMS template longer than this many segments is refused
 * @param renderTimeout       a render taking longer is cut off
 * @param maxOutputChars      a render producing more is cut off
 * @param maxSourceChars      largest template part accepted
 * @param readingGradeWarning reading grade above which the coordinator is warned
 */
@ConfigurationProperties("outreach.templates")
public record TemplateSettings(@Bindable(defaultValue = "3") @Min(1) int smsMaxSegments,
                               @Bindable(defaultValue = "PT2S") Duration renderTimeout,
                               @Bindable(defaultValue = "500000") @Min(1) int maxOutputChars,
                               @Bindable(defaultValue = "100000") @Min(1) int maxSourceChars,
                               @Bindable(defaultValue = "8.0") @DecimalMin("0") double readingGradeWarning) {
}
