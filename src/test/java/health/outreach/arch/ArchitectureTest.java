package health.outreach.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import health.outreach.common.Jdbc;
import io.micronaut.http.annotation.Controller;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the code: feature packages depend on each other one way only, the shared packages
 * depend on no feature, HTTP controllers leave SQL to services, and every table has one package
 * that writes it.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("health.outreach");

    /** Which package writes which table. Every other package reads, or asks the owner. */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("app_secret", "common"), Map.entry("app_user", "security"), Map.entry("login_lock", "security"), Map.entry("audit_log", "audit"),
            Map.entry("program", "program"), Map.entry("clinic", "program"), Map.entry("region_name", "program"),
            Map.entry("contact", "contact"), Map.entry("contact_attribute", "contact"), Map.entry("attribute_def", "contact"),
            Map.entry("consent_event", "contact"), Map.entry("suppression", "contact"),
            Map.entry("import_job", "imports"), Map.entry("segment", "segment"),
            Map.entry("template", "template"), Map.entry("template_version", "template"),
            Map.entry("template_variant", "template"), Map.entry("template_link", "template"),
            Map.entry("campaign", "campaign"), Map.entry("campaign_step", "campaign"), Map.entry("step_variant", "campaign"), Map.entry("step_test", "campaign"),
            Map.entry("step_test_arm", "campaign"), Map.entry("enrollment", "campaign"),
            Map.entry("message", "delivery"), Map.entry("dispatch_node", "delivery"), Map.entry("dispatch_slot", "delivery"),
            Map.entry("captured_message", "channel"),
            Map.entry("tracked_link", "tracking"), Map.entry("webhook_receipt", "tracking"),
            Map.entry("booking", "booking"),
            Map.entry("event", "events"), Map.entry("report_counter", "events"), Map.entry("campaign_counter", "events"),
            Map.entry("audience_counter", "events"),
            Map.entry("signup_form", "signup"), Map.entry("signup_form_text", "signup"), Map.entry("signup_keyword", "signup"),
            Map.entry("signup_request", "signup"),
            Map.entry("webhook_endpoint", "webhook"), Map.entry("webhook_subscription", "webhook"),
            Map.entry("webhook_sequence", "webhook"), Map.entry("webhook_event", "webhook"),
            Map.entry("webhook_delivery", "webhook"), Map.entry("webhook_attempt", "webhook"));

    /**
     * The one write outside its owner: the fan-out plans a campaign's messages with a single
     * INSERT … SELECT over the campaign's enrollments (one statement per batch of thousands); going
     * through the outbox's API would mean a round trip per message or the outbox knowing enrollments.
     */
    private static final Set<String> ALLOWED = Set.of("message <- campaign/FanOut.java");

    private static final Pattern WRITE = Pattern.compile("(?i)\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+(\\w+)");

    @Test
    void featurePackagesDependOnEachOtherOneWayOnly() {
        slices().matching("health.outreach.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void sharedPackagesDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("health.outreach.common..", "health.outreach.config..")
                .should().dependOnClassesThat().resideInAnyPackage(features("common", "config"))
                .check(CLASSES);
        noClasses().that().resideInAPackage("health.outreach.web..")
                .should().dependOnClassesThat().resideInAnyPackage(features("common", "config", "web"))
                .check(CLASSES);
    }

    @Test
    void controllersLeaveSqlToServices() {
        noClasses().that().areAnnotatedWith(Controller.class)
                .should().dependOnClassesThat().areAssignableTo(Jdbc.class)
                .check(CLASSES);
    }

    /** Transactions are the services' business: a controller maps HTTP and calls one service method. */
    @Test
    void controllersLeaveTransactionsToServices() {
        noClasses().that().areAnnotatedWith(Controller.class)
                .should().dependOnClassesThat().areAssignableTo(io.micronaut.transaction.TransactionOperations.class)
                .check(CLASSES);
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods().that().areDeclaredInClassesThat()
                .areAnnotatedWith(Controller.class)
                .should().beAnnotatedWith(io.micronaut.transaction.annotation.Transactional.class)
                .check(CLASSES);
    }

    /**
     * The rule for the two ways to reach a table: a Micronaut Data repository for a table whose rows
     * are read and written one at a time off the send path (users, segments, the program, clinics),
     * plain SQL through {@code Jdbc} for everything batched, locked, aggregated or on a hot path. A
     * repository is its table's owner's own tool, so it is used inside that package only.
     */
    @Test
    void repositoriesAreUsedOnlyByTheirTablesOwner() {
        CLASSES.stream().filter(c -> c.isAnnotatedWith(io.micronaut.data.jdbc.annotation.JdbcRepository.class)).forEach(repository ->
                classes().that().haveFullyQualifiedName(repository.getName())
                        .should().onlyBeAccessed().byClassesThat().resideInAPackage(repository.getPackageName())
                        .check(CLASSES));
        assertTrue(CLASSES.stream().anyMatch(c -> c.isAnnotatedWith(io.micronaut.data.jdbc.annotation.JdbcRepository.class)),
                "the repositories are found");
    }

    /** One way to keep blocking work off the event loop: each controller says where it runs. */
    @Test
    void everyControllerChoosesItsThreads() {
        classes().that().areAnnotatedWith(Controller.class)
                .should().beAnnotatedWith(io.micronaut.scheduling.annotation.ExecuteOn.class)
                .check(CLASSES);
    }

    @Test
    void everyTableIsWrittenByItsOwnerOnly() throws IOException {
        Path root = Path.of("src/main/java/health/outreach");
        List<String> violations = new ArrayList<>();
        Set<String> seenTables = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = root.relativize(file);
                String pkg = relative.getName(0).toString();
                String name = relative.getNameCount() > 1 ? pkg + "/" + file.getFileName() : file.getFileName().toString();
                Matcher m = WRITE.matcher(Files.readString(file));
                while (m.find()) {
                    String table = m.group(2).toLowerCase();
                    String owner = OWNERS.get(table);
                    if (owner == null) {
                        continue; // a word in prose, or a Quartz table (Quartz writes those itself)
                    }
                    seenTables.add(table);
                    if (!owner.equals(pkg) && !ALLOWED.contains(table + " <- " + name)) {
                        violations.add(table + " <- " + relative + " (owner: " + owner + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "tables written outside their owning package");
        assertTrue(seenTables.containsAll(Set.of("message", "contact", "event", "suppression", "enrollment")),
                "the scan must see the product's writes, saw only " + seenTables);
    }

    private static String[] features(String... except) {
        Set<String> skip = Set.of(except);
        try (Stream<Path> dirs = Files.list(Path.of("src/main/java/health/outreach"))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(n -> !skip.contains(n))
                    .map(n -> "health.outreach." + n + "..").toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
