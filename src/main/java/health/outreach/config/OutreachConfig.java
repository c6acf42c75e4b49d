package health.outreach.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Service-wide settings ({@code outreach.*}); each feature keeps its own settings record beside it.
 *
 * @param publicUrl          base URL community members reach (links in messages, webhook signature URLs)
 * @param templatesLocation  the default template library ({@code classpath:templates} or {@code file:/dir})
 * @param seedsLocation      the seed data ({@code classpath:seeds} or {@code file:/dir})
 * @param seedsEnabled       load seeds into an empty database
 * @param phoneDefaultRegion region for phone numbers written without a country code (ISO 3166 alpha-2)
 * @param exposeOperations   answer {@code /prometheus}, {@code /metrics} and the API documentation ({@code /swagger-ui},
 *                           {@code /swagger/**}) to anyone; off, only a signed-in administrator gets them
 */
@ConfigurationProperties("outreach")
public record OutreachConfig(
        @Bindable(defaultValue = "http://localhost:8080") String publicUrl,
        @Bindable(defaultValue = "classpath:templates") String templatesLocation,
        @Bindable(defaultValue = "classpath:seeds") String seedsLocation,
        @Bindable(defaultValue = "true") boolean seedsEnabled,
        @Bindable(defaultValue = "US") String phoneDefaultRegion,
        @Bindable(defaultValue = "false") boolean exposeOperations) {

    /** The public URL without a trailing slash. */
    public String baseUrl() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
