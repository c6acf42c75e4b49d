package health.outreach.imports;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * @param batchSize         rows written per transaction
 * @param maxReportedErrors rejected rows listed in a report (the count is always exact)
 * @param maxBytes          largest accepted upload
 */
@ConfigurationProperties("outreach.import")
public record ImportSettings(@Bindable(defaultValue = "1000") @Min(1) int batchSize,
                             @Bindable(defaultValue = "1000") @Min(0) int maxReportedErrors,
                             @Bindable(defaultValue = "1073741824") @Min(1) long maxBytes) {
}
