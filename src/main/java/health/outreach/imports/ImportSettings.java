package health.outreach.imports;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * @param batchSize         rows written per transaction
 * @param maxReportedErrors rejected rows listed in a report (the count is always exact)
 * @param maxBytes          largest accepted upload
 */
@ConfigurationProperties("outreach.import")
public record ImportSettings(@Bindable(defaultValue = "1000") int batchSize,
                             @Bindable(defaultValue = "1000") int maxReportedErrors,
                             @Bindable(defaultValue = "1073741824") long maxBytes) {
}
