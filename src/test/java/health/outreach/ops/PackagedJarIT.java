package health.outreach.ops;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import health.outreach.support.Api;
import health.outreach.support.JarProcess;
import health.outreach.support.PageSession;
import health.outreach.support.TestDatabase;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar, exactly as a user runs it: {@code java -jar target/outreach.jar} from a folder of
 * its own (its {@code ./data} is the embedded database; on PostgreSQL when {@code OUTREACH_TEST_DB=postgres}),
 * email through a real SMTP server. Signs in through the form, opens every admin section, follows
 * the links of the demo campaign's first email as its recipient would, and stops the node with SIGTERM.
 */
class PackagedJarIT {

    private static final String PASSWORD = "jar-test-admin-password";
    private static final Pattern ADMIN_LINK = Pattern.compile("href=\"(/admin/(campaigns|templates|contacts)/\\d+)\"");
    private static final Pattern PUBLIC_LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/(r|u|p|book)/[A-Za-z0-9_.-]+");

    @TempDir
    Path workDir;

    private GreenMail smtp;
    private String database;
    private JarProcess node;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("outreach.email.transport", "smtp");
        settings.put("outreach.email.smtp.host", "127.0.0.1");
        settings.put("outreach.email.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
        settings.put("outreach.seeds-enabled", "true");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OUTREACH_ADMIN_PASSWORD", PASSWORD);
        if (TestDatabase.isPostgres()) {
            database = "outreach_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            env.put("DATASOURCES_DEFAULT_URL", TestDatabase.createPostgresDatabase(database));
            env.put("DATASOURCES_DEFAULT_USERNAME", TestDatabase.postgresUser());
            env.put("DATASOURCES_DEFAULT_PASSWORD", TestDatabase.postgresPassword());
            env.put("DATASOURCES_DEFAULT_DRIVER_CLASS_NAME", "org.postgresql.Driver");
        }
        node = JarProcess.start(TestDatabase.isPostgres() ? "packaged-jar-postgres" : "packaged-jar-h2", workDir,
                settings, env, List.of("-Xmx512m")).awaitUp(Duration.ofMinutes(2));
        DefaultHttpClientConfiguration config = new DefaultHttpClientConfiguration();
        config.setFollowRedirects(false);
        config.setReadTimeout(Duration.ofSeconds(60));
        client = HttpClient.create(new URL(node.baseUrl()), config);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (database != null) {
            TestDatabase.dropPostgresDatabase(database);
        }
    }

    @Test
    void theJarServesTheAdminUiSendsTheDemoCampaignAndStopsCleanly() throws Exception {
        Api api = new Api(client);
        assertEquals(200, api.get("/health", null).status());
        if (!TestDatabase.isPostgres()) {
            assertTrue(Files.isDirectory(workDir.resolve("data")), "the embedded database lives in ./data of the folder it runs in");
        }

        PageSession admin = PageSession.signedIn(client, "admin", PASSWORD);
        Map<String, String> pages = new LinkedHashMap<>();
        for (String section : List.of("/admin", "/admin/campaigns", "/admin/templates", "/admin/contacts",
                "/admin/contacts/import", "/admin/segments", "/admin/mailbox", "/admin/users", "/admin/audit")) {
            pages.put(section, admin.get(section).body());
        }
        List<String> details = new ArrayList<>();
        for (String list : List.of("/admin/campaigns", "/admin/templates", "/admin/contacts")) {
            Matcher m = ADMIN_LINK.matcher(pages.get(list));
            assertTrue(m.find(), "the " + list + " page lists at least one seeded entry");
            details.add(m.group(1));
        }
        String template = details.get(1);
        details.add(template + "/preview");
        details.add(template + "/preview?locale=es");
        for (String path : details) {
            Api.Response r = admin.get(path);
            assertEquals(200, r.status(), path + ": " + r.body());
        }
        for (String section : pages.keySet()) {
            Api.Response r = admin.get(section);
            assertEquals(200, r.status(), section + " answers " + r.status() + ": " + r.body() + node.tail(30));
            assertTrue(r.body().contains("Administrator"), section + " shows who is signed in (a record rendered by FreeMarker)");
        }

        // The demo campaign launches 30 s after the first start; its first email reaches the relay.
        await("the demo campaign's first email at the SMTP server").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .failFast("the node exited", () -> !node.isAlive())
                .until(() -> smtp.getReceivedMessages().length > 0);
        MimeMessage email = smtp.getReceivedMessages()[0];
        String source = GreenMailUtil.getWholeMessage(email).replace("=\r\n", "").replace("=3D", "=");
        Map<String, String> links = new LinkedHashMap<>();
        Matcher m = PUBLIC_LINK.matcher(source);
        while (m.find()) {
            links.putIfAbsent(m.group(1), m.group());
        }
        assertEquals(List.of("book", "p", "r", "u"), links.keySet().stream().sorted().toList(),
                "the email carries a tracked link, unsubscribe, preferences and booking: " + links);
        Api.Response redirect = api.get(path(links.get("r")), null);
        assertEquals(302, redirect.status(), links.get("r") + " in\n" + source);
        assertTrue(redirect.header("Location").startsWith("https://"), redirect.header("Location"));
        for (String kind : List.of("u", "p", "book")) {
            Api.Response page = api.get(path(links.get(kind)), null);
            assertEquals(200, page.status(), kind + ": " + page.body());
            assertTrue(page.body().contains("<form"), kind + " offers its form");
        }
        Api.Response unsubscribed = new PageSession(client).submit(path(links.get("u")),
                Map.of("List-Unsubscribe", "One-Click"));
        assertEquals(200, unsubscribed.status(), unsubscribed.body());

        int exit = node.terminate(Duration.ofSeconds(60));
        assertEquals(143, exit, "the JVM's exit status after SIGTERM (128 + 15)" + node.tail(20));
        String log = node.log();
        assertTrue(log.matches("(?s).*Dispatcher \\S+ stopped.*"), "the dispatcher stopped" + node.tail(20));
        assertTrue(log.contains("Quartz scheduler stopped on this node"), "the scheduler left the cluster" + node.tail(20));
        assertFalse(log.contains(" ERROR "), "no error logged from start to stop" + node.tail(60));
        assertFalse(log.contains("Exception"), "no exception logged from start to stop" + node.tail(60));
    }

    private static String path(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
