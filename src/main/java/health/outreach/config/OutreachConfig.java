package health.outreach.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * Service-wide settings ({@code outreach.*}); each feature keeps its own settings record beside it.
 *
 * @param publicUrl          base URL community members reach (links in messages, webhook signature URLs)
 * @param templatesLocation  the default template library ({@code classpath:templates} or {@code file:/dir})
 * @param seedsLocation      the seed data ({@code classpath:seeds} or {@code file:/dir})
 * @param seedsEnabled       load seeds into an empty database
 * @param phoneDefaultRegion region for phone numbers written without a country code (ISO 3166 alpha-2)
 * @param dataDir            the embedded H2 database's folder; {@code datasources.default.url} in application.yml reads it
 * @param exposeOperations   answer {@code /prometheus}, {@code /metrics} and the API documentation ({@code /swagger-ui},
 *                           {@code /swagger/**}) to anyone; off, only a signed-in administrator gets them
 */
@ConfigurationProperties("outreach")
public record OutreachConfig(
        @Bindable(defaultValue = "http://localhost:8080") @NotBlank String publicUrl,
        @Bindable(defaultValue = "classpath:templates") @NotBlank String templatesLocation,
        @Bindable(defaultValue = "classpath:seeds") @NotBlank String seedsLocation,
        @Bindable(defaultValue = "true") boolean seedsEnabled,
        @Bindable(defaultValue = "US") @NotBlank String phoneDefaultRegion,
        @Bindable(defaultValue = "false") boolean exposeOperations,
        @Bindable(defaultValue = "./data") @NotBlank String dataDir) {

    /** The public URL without a trailing slash. */
    public String baseUrl() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
