package health.outreach.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * Kept in {@code config} because the counters ({@code events}), the region names ({@code program})
 * and the reports read the same region rule, and none of them may depend on another for it.
 *
 * @param minCell            regions or languages with fewer people reached are merged into "other"
 * @param regionPrefixLength postal-code characters that make a region
 */
@ConfigurationProperties("outreach.reports")
public record ReportSettings(@Bindable(defaultValue = "5") @Min(0) int minCell,
                             @Bindable(defaultValue = "3") @Min(1) int regionPrefixLength) {
}
