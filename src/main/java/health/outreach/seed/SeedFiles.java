package health.outreach.seed;

import health.outreach.config.OutreachConfig;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reads files from the seed folder ({@code outreach.seeds-location}: classpath or file system). */
@Singleton
class SeedFiles {

    private final ResourceResolver resolver;
    private final ObjectMapper json;
    private final String location;

    SeedFiles(ResourceResolver resolver, ObjectMapper json, OutreachConfig config) {
        this.resolver = resolver;
        this.json = json;
        this.location = config.seedsLocation().endsWith("/") ? config.seedsLocation() : config.seedsLocation() + "/";
    }

    Optional<InputStream> open(String name) {
        return resolver.getResourceAsStream(location + name);
    }

    <T> Optional<T> read(String name, Argument<T> type) {
        Optional<InputStream> in = open(name);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(json.readValue(stream, type));
        } catch (IOException e) {
            throw new UncheckedIOException("seed file " + name + " is not valid: " + e.getMessage(), e);
        }
    }
}
