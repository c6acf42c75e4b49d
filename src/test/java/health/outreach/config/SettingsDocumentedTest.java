package health.outreach.config;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.naming.NameUtils;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings records are the one source of every {@code outreach.*} setting and its default: the
 * README's settings table lists each key with exactly the record's default, application.yml adds no
 * default of its own, and nothing reads an {@code outreach.*} key past the records.
 *
 * <p>README rows: {@code | `outreach.a.b` / `.c` | `x` / `y` | meaning |}. Keys after the first may be
 * written as {@code .name}, a sibling of the first. Defaults are code spans in the keys' order, or one
 * code span for all of them; a cell starting with "empty" says every key's default is empty and
 * explains what empty means.
 */
class SettingsDocumentedTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(`outreach\\.[^|]*?)\\s*\\|\\s*([^|]*?)\\s*\\|\\s*(.*?)\\s*\\|$");
    private static final Pattern CODE_LIST = Pattern.compile("^`([^`]*)`(?:\\s*/\\s*`[^`]*`)*");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(outreach\\.[a-z0-9.-]+):([^}]*)}");

    /** Every outreach.* key of the settings records, with its {@code @Bindable} default. */
    static Map<String, String> recordDefaults() {
        Map<String, String> defaults = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("health.outreach")) {
            if (!type.isAnnotatedWith(ConfigurationProperties.class)) {
                continue;
            }
            Class<?> record = type.reflect();
            String prefix = prefix(record);
            if (!prefix.startsWith("outreach")) {
                continue;
            }
            assertTrue(record.isRecord(), record.getName() + ": settings are records");
            RecordComponent[] components = record.getRecordComponents();
            Parameter[] parameters = canonicalConstructor(record).getParameters();
            for (int i = 0; i < components.length; i++) {
                if (components[i].getType().isAnnotationPresent(ConfigurationProperties.class)) {
                    continue; // a nested record, scanned on its own
                }
                String key = prefix + "." + NameUtils.hyphenate(components[i].getName());
                // @Bindable targets parameters, not record components: it sits on the canonical constructor's.
                Bindable bindable = parameters[i].getAnnotation(Bindable.class);
                if (bindable == null || bindable.defaultValue().equals(io.micronaut.core.value.ValueResolver.class.getName())) {
                    missing.add(key);
                    continue;
                }
                assertEquals(null, defaults.put(key, bindable.defaultValue()), key + " bound by two records");
            }
        }
        assertEquals(List.of(), missing, "settings without @Bindable(defaultValue = ...) in their record");
        assertTrue(defaults.size() > 80, "the scan must see the records, saw " + defaults.keySet());
        return defaults;
    }

    private static Constructor<?> canonicalConstructor(Class<?> record) {
        try {
            return record.getDeclaredConstructor(Stream.of(record.getRecordComponents())
                    .map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(record.getName() + " has no canonical constructor", e);
        }
    }

    private static String prefix(Class<?> type) {
        String own = type.getAnnotation(ConfigurationProperties.class).value();
        Class<?> outer = type.getEnclosingClass();
        return outer != null && outer.isAnnotationPresent(ConfigurationProperties.class) ? prefix(outer) + "." + own : own;
    }

    /** The README's settings table: key to the default it documents. */
    static Map<String, String> readmeDefaults(List<String> readme) {
        Map<String, String> documented = new TreeMap<>();
        for (String line : readme) {
            if (!line.startsWith("| `outreach.")) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            assertTrue(row.matches(), "not a settings row: " + line);
            List<String> keys = keys(row.group(1), line);
            List<String> values = defaults(row.group(2), keys.size(), line);
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(null, documented.put(keys.get(i), values.get(i)), keys.get(i) + " documented twice");
            }
        }
        return documented;
    }

    private static List<String> keys(String cell, String line) {
        List<String> keys = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            String key = code.group(1);
            if (key.startsWith(".")) {
                assertTrue(!keys.isEmpty(), "a sibling key before its first key: " + line);
                String first = keys.get(0);
                key = first.substring(0, first.lastIndexOf('.')) + key;
            }
            keys.add(key);
        }
        return keys;
    }

    private static List<String> defaults(String cell, int keys, String line) {
        if (cell.startsWith("empty")) {
            return java.util.Collections.nCopies(keys, "");
        }
        Matcher list = CODE_LIST.matcher(cell);
        assertTrue(list.find(), "a default is a code span, or the word empty: " + line);
        List<String> values = new ArrayList<>();
        Matcher code = CODE.matcher(list.group());
        while (code.find()) {
            values.add(code.group(1));
        }
        if (values.size() == 1) {
            return java.util.Collections.nCopies(keys, values.get(0));
        }
        assertEquals(keys, values.size(), "one default per key, or one for all: " + line);
        return values;
    }

    @Test
    void readmeListsEverySettingWithItsRecordDefault() throws IOException {
        Map<String, String> records = recordDefaults();
        Map<String, String> readme = readmeDefaults(Files.readAllLines(Path.of("README.md")));
        List<String> problems = new ArrayList<>();
        records.forEach((key, value) -> {
            if (!readme.containsKey(key)) {
                problems.add(key + " (default \"" + value + "\") is missing from the README");
            } else if (!readme.get(key).equals(value)) {
                problems.add(key + ": the README says \"" + readme.get(key) + "\", the record \"" + value + "\"");
            }
        });
        readme.keySet().stream().filter(key -> !records.containsKey(key))
                .forEach(key -> problems.add(key + " is in the README but in no settings record"));
        assertEquals(List.of(), problems);
    }

    /** application.yml may map environment variables onto settings; a value of its own would be a second default. */
    @Test
    void applicationYmlAddsNoDefaultOfItsOwn() throws IOException {
        Map<String, String> records = recordDefaults();
        String yml = Files.readString(Path.of("src/main/resources/application.yml"));
        List<String> problems = new ArrayList<>();
        Map<String, Object> tree = new Yaml().load(yml);
        flatten("outreach", tree.get("outreach"), (key, value) -> {
            if (!records.containsKey(key)) {
                problems.add(key + " is in application.yml but in no settings record");
            }
            if (!String.valueOf(value).matches("\\$\\{[A-Z0-9_]+:}")) {
                problems.add(key + ": " + value + " (application.yml may only map an environment variable, with an empty fallback)");
            }
        });
        Matcher placeholder = PLACEHOLDER.matcher(yml);
        int seen = 0;
        while (placeholder.find()) {
            seen++;
            String key = placeholder.group(1);
            if (!placeholder.group(2).equals(records.get(key))) {
                problems.add("${" + key + ":" + placeholder.group(2) + "} in application.yml, the record says " + records.get(key));
            }
        }
        assertTrue(seen >= 2, "the scan must see outreach.data-dir and outreach.import.max-bytes");
        assertEquals(List.of(), problems);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String key, Object node, java.util.function.BiConsumer<String, Object> leaf) {
        if (node instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> flatten(key + "." + k, v, leaf));
        } else if (node != null) {
            leaf.accept(key, node);
        }
    }

    @Test
    void nothingReadsAnOutreachKeyPastTheRecords() throws IOException {
        Pattern direct = Pattern.compile("@(Value|Property)\\(\\s*(name\\s*=\\s*)?\"(\\$\\{)?outreach\\.");
        List<String> readers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (direct.matcher(Files.readString(file)).find()) {
                    readers.add(file.toString());
                }
            }
        }
        assertEquals(List.of(), readers, "outreach.* settings are read through their @ConfigurationProperties record");
    }
}
