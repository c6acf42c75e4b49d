package health.outreach.template;

import health.outreach.config.OutreachConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the default template library ({@code outreach.templates-location}): from a folder, or from
 * inside the jar that carries it. Layout: {@code partials/*.ftl(h)} and one folder per template with
 * {@code template.json} and a folder per locale holding subject.ftl, html.ftlh, text.ftl or sms.ftl.
 */
@Singleton
public class LibraryFiles {

    /** One template folder: its key (folder name), metadata JSON, and parts per locale. */
    public record LibraryTemplate(String key, String metadataJson, Map<String, Map<TemplatePart, String>> variants) {
    }

    public record Library(Map<String, String> partials, List<LibraryTemplate> templates) {
    }

    private final String location;

    public LibraryFiles(OutreachConfig config) {
        this.location = config.templatesLocation();
    }

    public Library read() {
        try {
            Path root = root();
            if (root == null) {
                return new Library(Map.of(), List.of());
            }
            return new Library(partials(root.resolve("partials")), templates(root));
        } catch (IOException e) {
            throw new UncheckedIOException("the template library at " + location + " cannot be read", e);
        }
    }

    private Path root() throws IOException {
        if (location.startsWith("file:")) {
            Path path = Path.of(location.substring("file:".length()));
            return Files.isDirectory(path) ? path : null;
        }
        String resource = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        URL url = Thread.currentThread().getContextClassLoader().getResource(stripSlashes(resource));
        if (url == null) {
            return null;
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return fs.getPath("/" + stripSlashes(resource));
            }
            return Path.of(uri);
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static Map<String, String> partials(Path dir) throws IOException {
        Map<String, String> partials = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return partials;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".ftl") || name.endsWith(".ftlh")) {
                    partials.put("partials/" + name, Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return partials;
    }

    private static List<LibraryTemplate> templates(Path root) throws IOException {
        List<LibraryTemplate> templates = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path meta = dir.resolve("template.json");
                if (!Files.isDirectory(dir) || !Files.isRegularFile(meta)) {
                    continue;
                }
                Map<String, Map<TemplatePart, String>> variants = new TreeMap<>();
                try (Stream<Path> locales = Files.list(dir)) {
                    for (Path localeDir : locales.filter(Files::isDirectory).sorted().toList()) {
                        Map<TemplatePart, String> parts = new EnumMap<>(TemplatePart.class);
                        for (TemplatePart part : TemplatePart.values()) {
                            Path file = localeDir.resolve(part.fileName());
                            if (Files.isRegularFile(file)) {
                                parts.put(part, Files.readString(file, StandardCharsets.UTF_8));
                            }
                        }
                        if (!parts.isEmpty()) {
                            variants.put(localeDir.getFileName().toString().replace("/", "").toLowerCase(Locale.ROOT), parts);
                        }
                    }
                }
                templates.add(new LibraryTemplate(dir.getFileName().toString().replace("/", ""),
                        Files.readString(meta, StandardCharsets.UTF_8), variants));
            }
        }
        return templates;
    }

    private static String stripSlashes(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
