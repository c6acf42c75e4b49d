package health.outreach.ops;

import health.outreach.support.Api;
import health.outreach.support.JarProcess;
import health.outreach.support.ScriptedSmtpServer;
import health.outreach.support.ScriptedSmtpServer.Answer;
import health.outreach.support.ScriptedSmtpServer.Stage;
import health.outreach.support.TcpProxy;
import health.outreach.support.TestDatabase;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery engine under faults (mvn verify -Pfaults): two nodes, the packaged jar as separate
 * processes, on one PostgreSQL database, sending to a real SMTP server this test controls. Node A
 * reaches the database through a proxy that can cut it off. Each scenario sends a campaign and
 * breaks something mid-way: node A killed with SIGKILL, the relay answering 421 after the data and
 * hanging up, the relay down, node A's database connection cut. Each prints what the relay got
 * (lost, duplicated) and what the outbox says (flagged), and fails on any loss or on more
 * duplicates than node A had connections on the wire. Leases and backoffs are short so the suite
 * takes a few minutes; -Dfaults.outage=PT60S makes the outages a minute long.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryFaultIT {

    private static final int MESSAGES = Integer.getInteger("faults.messages", 2000);
    private static final int CONNECTIONS = 4;
    private static final Duration OUTAGE = Duration.parse(System.getProperty("faults.outage", "PT20S"));
    private static final String PASSWORD = "fault-suite-admin-password";
    private static final Pattern NODE_ID = Pattern.compile("Dispatcher (\\S+) started");

    @TempDir
    static Path workDir;

    private final List<String> report = new ArrayList<>();
    private ScriptedSmtpServer relay;
    private TcpProxy dbProxy;
    private String database;
    private String databaseUrl;
    private JarProcess nodeA;
    private JarProcess nodeB;
    private HttpClient client;
    private String token;
    private long template;

    @BeforeAll
    void start() throws Exception {
        relay = new ScriptedSmtpServer();
        database = "outreach_faults_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        databaseUrl = TestDatabase.createPostgresDatabase(database);
        URL pg = new URL("http" + databaseUrl.substring("jdbc:postgresql".length()));
        dbProxy = new TcpProxy(pg.getHost(), pg.getPort() == -1 ? 5432 : pg.getPort());
        nodeB = node("fault-node-b", databaseUrl).awaitUp(Duration.ofMinutes(2)); // migrates the schema first
        nodeA = node("fault-node-a", "jdbc:postgresql://127.0.0.1:" + dbProxy.port() + "/" + database).awaitUp(Duration.ofMinutes(2));
        DefaultHttpClientConfiguration config = new DefaultHttpClientConfiguration();
        config.setFollowRedirects(false);
        config.setReadTimeout(Duration.ofSeconds(60));
        client = HttpClient.create(new URL(nodeB.baseUrl()), config);
        Api api = new Api(client);
        token = api.login("admin", PASSWORD);
        Api.Response created = api.post("/api/v1/templates", Map.of("name", "fault suite email", "channel", "EMAIL",
                "variants", List.of(Map.of("locale", "en", "subject", "Spine health for ${contact.firstName}",
                        "html", "<p>Hello ${contact.firstName}, read ${link(\"https://example.org/spine\")}</p>"
                                + "<p><a href=\"${unsubscribe_url}\">Unsubscribe</a></p>",
                        "text", "Hello ${contact.firstName}: ${link(\"https://example.org/spine\")}\nUnsubscribe: ${unsubscribe_url}"))), token);
        assertEquals(201, created.status(), created.body());
        template = ((Number) created.json().get("id")).longValue();
    }

    @AfterAll
    void stop() throws Exception {
        String table = String.join("\n", report);
        System.out.println("\n" + table + "\n");
        Files.createDirectories(JarProcess.logDir());
        Files.writeString(JarProcess.logDir().resolve("fault-report.txt"), table + "\n");
        if (client != null) {
            client.close();
        }
        for (JarProcess n : new JarProcess[]{nodeA, nodeB}) {
            if (n != null) {
                n.close();
            }
        }
        if (relay != null) {
            relay.close();
        }
        if (dbProxy != null) {
            dbProxy.close();
        }
        if (database != null) {
            TestDatabase.dropPostgresDatabase(database);
        }
    }

    @Test
    @Order(1)
    void nodeAKilledMidSendLosesNothingAndDuplicatesOnlyWhatWasOnTheWire() throws Exception {
        String nodeId = nodeId(nodeA);
        Run run = launch("kill");
        awaitAccepted(run, MESSAGES / 2);
        nodeA.kill();
        long killed = System.nanoTime();
        await("node A's claims back in the outbox").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT COUNT(*) FROM message WHERE status = 'SENDING' AND lease_owner = ?", nodeId) == 0);
        Duration recovery = Duration.ofNanos(System.nanoTime() - killed);
        Outcome outcome = finish(run);
        outcome.print("node A killed (SIGKILL) at 50 %", "claims back after " + seconds(recovery));
        outcome.assertNoLoss();
        outcome.assertDuplicatesAtMost(CONNECTIONS);
        assertTrue(recovery.compareTo(Duration.ofSeconds(30)) < 0, "a dead node's messages return within 30 s: " + recovery);
        nodeA = node("fault-node-a2", "jdbc:postgresql://127.0.0.1:" + dbProxy.port() + "/" + database).awaitUp(Duration.ofMinutes(2));
    }

    @Test
    @Order(2)
    void aRelayAnswering421AfterTheDataLosesNothingAndPausesNothing() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        Run run = launch("r421");
        awaitAccepted(run, MESSAGES / 5);
        relay.script((stage, to) -> {
            if (stage != Stage.AFTER_DATA) {
                return null;
            }
            refused.incrementAndGet();
            return Answer.replyAndClose("421 4.3.2 Service shutting down, try again later");
        });
        try {
            holdFault(OUTAGE);
        } finally {
            relay.script((stage, to) -> null);
        }
        Outcome outcome = finish(run);
        outcome.print("relay answers 421 after the data and hangs up, for " + seconds(OUTAGE) + " (" + refused.get() + " times)",
                "campaign " + status(run.campaign()).toLowerCase(Locale.ROOT));
        outcome.assertNoLoss();
        assertEquals(0, outcome.duplicates(), "nothing was taken twice");
        assertEquals(0, count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status IN ('UNKNOWN', 'FAILED')", run.campaign()));
        assertEquals(0, count("SELECT COUNT(*) FROM campaign WHERE id = ? AND status_reason LIKE 'paused automatically%'", run.campaign()));
    }

    @Test
    @Order(3)
    void aRelayDownForAWhileFailsNothing() throws Exception {
        Run run = launch("down");
        awaitAccepted(run, MESSAGES / 5);
        relay.down();
        try {
            holdFault(OUTAGE);
        } finally {
            relay.up();
        }
        long upAt = System.nanoTime();
        Outcome outcome = finish(run);
        outcome.print("relay down for " + seconds(OUTAGE), "all sent " + seconds(Duration.ofNanos(System.nanoTime() - upAt)) + " after");
        outcome.assertNoLoss();
        outcome.assertDuplicatesAtMost(0); // only unknown outcomes sent again may arrive twice
        assertEquals(0, count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'FAILED'", run.campaign()),
                "an outage spends no message's attempts");
    }

    @Test
    @Order(4)
    void nodeACutOffFromTheDatabaseDuplicatesOnlyWhatWasOnTheWire() throws Exception {
        String nodeId = nodeId(nodeA);
        Run run = launch("dbcut");
        awaitAccepted(run, MESSAGES * 3 / 10);
        dbProxy.cut();
        long cut = System.nanoTime();
        try {
            await("node B takes node A's claims").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> count("SELECT COUNT(*) FROM message WHERE status = 'SENDING' AND lease_owner = ?", nodeId) == 0);
            long remaining = OUTAGE.toNanos() - (System.nanoTime() - cut);
            holdFault(Duration.ofNanos(Math.max(0, remaining)));
        } finally {
            dbProxy.restore();
        }
        Outcome outcome = finish(run);
        outcome.print("node A's database connection cut for " + seconds(OUTAGE), "node A " + (nodeA.isAlive() ? "alive" : "dead"));
        outcome.assertNoLoss();
        outcome.assertDuplicatesAtMost(CONNECTIONS);
    }

    // --- the scenario's pieces

    private record Run(String tag, long campaign, int acceptedBefore) {
    }

    private record Outcome(Run run, int lost, int duplicates, int flagged, int unknown, Set<String> duplicated,
                           Set<String> flaggedEmails, List<String> report) {
        void print(String scenario, String recovery) {
            if (report.isEmpty()) {
                report.add(String.format(Locale.ROOT, "%-72s %7s %5s %10s %8s %8s  %s", "scenario", "sent", "lost", "duplicates",
                        "flagged", "unknown", "recovery"));
            }
            report.add(String.format(Locale.ROOT, "%-72s %7d %5d %10d %8d %8d  %s", scenario, MESSAGES, lost, duplicates, flagged,
                    unknown, recovery));
        }

        void assertNoLoss() {
            assertEquals(0, lost, run.tag() + ": every recipient's message reached the relay");
        }

        /**
         * At most {@code inFlight} duplicates, plus the unknown outcomes an operator sent again
         * (those may have arrived the first time), each one flagged as a possible duplicate.
         */
        void assertDuplicatesAtMost(int inFlight) {
            assertTrue(duplicates <= inFlight + unknown, run.tag() + ": " + duplicates + " duplicates, more than the " + inFlight
                    + " sends on the wire and the " + unknown + " unknown outcomes sent again: " + duplicated);
            assertTrue(flaggedEmails.containsAll(duplicated), run.tag() + ": every duplicate is flagged: " + duplicated
                    + " vs " + flaggedEmails);
        }
    }

    private Run launch(String tag) throws SQLException {
        String postal = "F" + tag.toUpperCase(Locale.ROOT);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO contact (first_name, last_name, email, email_hash, locale, time_zone, postal_code, email_consent, "
                        + "created_at, updated_at) SELECT 'Name' || g, 'Fault', ? || g || '@example.org', "
                        + "encode(sha256((? || g || '@example.org')::bytea), 'hex'), 'en-US', 'America/New_York', ?, 'OPTED_IN', "
                        + "now(), now() FROM generate_series(1, ?) g")) {
            ps.setString(1, tag + "-");
            ps.setString(2, tag + "-");
            ps.setString(3, postal);
            ps.setInt(4, MESSAGES);
            ps.executeUpdate();
        }
        Api api = new Api(client);
        Api.Response segment = api.post("/api/v1/segments", Map.of("name", "fault " + tag, "rule",
                Map.of("match", "ALL", "conditions", List.of(Map.of("field", "postalCode", "op", "eq", "value", postal)))), token);
        assertEquals(201, segment.status(), segment.body());
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("name", "fault " + tag);
        form.put("segmentId", segment.json().get("id"));
        form.put("steps", List.of(Map.of("channel", "EMAIL", "templateId", template, "afterEnrollment", "PT0S")));
        Api.Response campaign = api.post("/api/v1/campaigns", form, token);
        assertEquals(201, campaign.status(), campaign.body());
        long id = ((Number) campaign.json().get("id")).longValue();
        int before = relay.acceptedTotal();
        Api.Response scheduled = api.post("/api/v1/campaigns/" + id + "/schedule", Map.of(), token);
        assertEquals(200, scheduled.status(), scheduled.body());
        return new Run(tag, id, before);
    }

    private void awaitAccepted(Run run, int n) {
        await(run.tag() + ": " + n + " messages at the relay").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> relay.acceptedTotal() - run.acceptedBefore() >= n);
    }

    /**
     * Waits until the outbox is done with the campaign; sends again what ended with an unknown
     * outcome (a connection cut after the data), as an operator would from the campaign's page; then
     * compares the relay's count with the outbox.
     */
    private Outcome finish(Run run) throws SQLException {
        awaitDrained(run);
        int unknown = (int) count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'UNKNOWN'", run.campaign());
        if (unknown > 0) {
            Api.Response resent = new Api(client).post("/api/v1/campaigns/" + run.campaign() + "/unknown/resend", Map.of(), token);
            assertEquals(200, resent.status(), resent.body());
            awaitDrained(run);
        }
        int lost = 0;
        int duplicates = 0;
        Set<String> duplicated = new HashSet<>();
        for (int i = 1; i <= MESSAGES; i++) {
            String email = run.tag() + "-" + i + "@example.org";
            int n = relay.accepted(email);
            if (n == 0) {
                lost++;
            } else if (n > 1) {
                duplicates += n - 1;
                duplicated.add(email);
            }
        }
        Set<String> flagged = new HashSet<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT ct.email FROM message m JOIN contact ct "
                + "ON ct.id = m.contact_id WHERE m.campaign_id = ? AND m.possible_duplicate")) {
            ps.setLong(1, run.campaign());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flagged.add(rs.getString(1));
                }
            }
        }
        return new Outcome(run, lost, duplicates, flagged.size(), unknown, duplicated, flagged, report);
    }

    private void awaitDrained(Run run) {
        await(run.tag() + ": the campaign's outbox drained").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status IN ('PENDING', 'SENDING')",
                        run.campaign()) == 0);
    }

    private JarProcess node(String name, String url) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("outreach.seeds-enabled", "false");
        settings.put("outreach.email.transport", "smtp");
        settings.put("outreach.email.smtp.host", "127.0.0.1");
        settings.put("outreach.email.smtp.port", String.valueOf(relay.port()));
        settings.put("outreach.email.smtp.connect-timeout", "PT2S");
        settings.put("outreach.email.smtp.read-timeout", "PT5S");
        settings.put("outreach.dispatch.email-connections", String.valueOf(CONNECTIONS));
        settings.put("outreach.dispatch.email-rate", "200");
        settings.put("outreach.dispatch.heartbeat", "PT0.5S");
        settings.put("outreach.dispatch.orphan-after", "PT3S");
        settings.put("outreach.dispatch.poll-interval", "PT0.2S");
        settings.put("outreach.dispatch.retry-base", "PT1S");
        settings.put("outreach.dispatch.retry-max", "PT5S");
        settings.put("outreach.dispatch.circuit-base", "PT0.5S");
        settings.put("outreach.dispatch.circuit-max", "PT3S");
        settings.put("outreach.scheduler.sweep-interval", "PT1S");
        settings.put("outreach.scheduler.checkin-interval", "PT2S");
        settings.put("datasources.default.connection-timeout", "2000");
        Map<String, String> env = Map.of("OUTREACH_ADMIN_PASSWORD", PASSWORD,
                "DATASOURCES_DEFAULT_URL", url,
                "DATASOURCES_DEFAULT_USERNAME", TestDatabase.postgresUser(),
                "DATASOURCES_DEFAULT_PASSWORD", TestDatabase.postgresPassword(),
                "DATASOURCES_DEFAULT_DRIVER_CLASS_NAME", "org.postgresql.Driver");
        try {
            Path dir = Files.createDirectories(workDir.resolve(name));
            return JarProcess.start(name, dir, settings, env, List.of("-Xmx384m"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String nodeId(JarProcess node) {
        Matcher m = NODE_ID.matcher(node.log());
        String id = null;
        while (m.find()) {
            id = m.group(1);
        }
        if (id == null) {
            throw new AssertionError("the node logged no dispatcher id" + node.tail(20));
        }
        return id;
    }

    private String status(long campaign) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT status FROM campaign WHERE id = ?")) {
            ps.setLong(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl, TestDatabase.postgresUser(), TestDatabase.postgresPassword());
    }

    /** The fault lasts this long: the scenario's length, not a wait for a condition. */
    private static void holdFault(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
