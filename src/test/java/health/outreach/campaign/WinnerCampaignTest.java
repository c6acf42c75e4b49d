package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.schedule.Sweep;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
import health.outreach.template.TemplateService;
import health.outreach.template.TemplateVariant;
import health.outreach.template.TemplateViews;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tested A/B step on the test clock: the test share first, the decision after the wait, the winner to the rest once. */
@MicronautTest(transactional = false)
class WinnerCampaignTest {

    private static final String BROWSER = "Mozilla/5.0 (Macintosh) Safari";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    TemplateService templates;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    CampaignLauncher launcher;

    @Inject
    Sweep sweep;

    @Inject
    WinnerDecision decisions;

    private record Launched(long id, long stepId, String token, List<Long> people) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void testSettingsThatBreakARuleAreNamedByField() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        long a = email("A"), b = email("B");
        List<Map<String, Object>> variants = List.of(Map.of("templateId", a, "percent", 50), Map.of("templateId", b, "percent", 50));
        List<Map<String, Object>> steps = List.of(
                Map.of("channel", "EMAIL", "templateId", a, "testPercent", 20, "testWait", "PT24H"),
                tested(a, variants, Map.of("testPercent", 100, "testWait", "PT24H")),
                tested(a, variants, Map.of("testPercent", 20, "testWait", "tomorrow")),
                tested(a, variants, Map.of("testPercent", 20, "testWait", "PT24H", "winnerMetric", "OPEN")),
                tested(a, variants, Map.of("testPercent", 20, "testWait", "PT24H", "fallback", "C")),
                tested(a, variants, Map.of("testPercent", 20, "testWait", "PT24H", "minPerVariant", 0)),
                tested(a, variants, Map.of("winnerMetric", "CLICK")),
                tested(a, variants, Map.of("testPercent", 20, "testWait", "PT24H", "winnerMetric", "booking", "fallback", "b")));
        Api.Response r = api.post("/api/v1/campaigns", Map.of("name", "Bad tests", "segmentId", fixture.segment("WIN00"),
                "steps", steps), token);
        assertEquals(422, r.status(), r.body());
        assertEquals("application/problem+json", r.raw().getContentType().orElseThrow().getName());
        List<Object> fields = ((List<Map<String, Object>>) r.json().get("errors")).stream().map(e -> e.get("field")).toList();
        assertEquals(List.of("steps[0].testPercent", "steps[1].testPercent", "steps[2].testWait", "steps[3].winnerMetric",
                "steps[4].fallback", "steps[5].minPerVariant", "steps[6].testPercent", "steps[6].testWait"), fields);
    }

    @Test
    @SuppressWarnings("unchecked")
    void clicksOnBMakeBWinAndTheHeldPeopleGetBExactlyOnce() {
        Api api = new Api(client);
        Launched c = launch(api, "WIN01", 10);
        Map<String, Object> step = ((List<Map<String, Object>>) api.get("/api/v1/campaigns/" + c.id(), c.token()).json()
                .get("steps")).get(0);
        assertEquals(50, ((Number) step.get("testPercent")).intValue());
        assertEquals("PT24H", step.get("testWait"));
        assertEquals("CLICK", step.get("winnerMetric"));
        assertEquals("FIRST", step.get("fallback"));

        // Only the test share was planned and sent; each got their own variant.
        Map<Long, Integer> arms = armsSent(c);
        for (long person : c.people()) {
            assertEquals(VariantAssignment.inTest(c.stepId(), person, 50), arms.containsKey(person), "contact " + person);
        }
        assertTrue(arms.size() > 10 && arms.size() < c.people().size() - 10, "a share, not all: " + arms.size());
        assertTrue(arms.containsValue(0) && arms.containsValue(1));

        // Every B recipient clicks, no A recipient does.
        for (long message : jdbc.query("SELECT id FROM message WHERE step_id = ? AND contact_id IN (SELECT contact_id FROM message "
                + "WHERE step_id = ?) ORDER BY id", rs -> rs.getLong(1), c.stepId(), c.stepId())) {
            long contact = jdbc.queryLong("SELECT contact_id FROM message WHERE id = ?", message);
            if (arms.get(contact) == 1) {
                api.send(HttpRequest.GET(fixture.firstLinkPath(message)).header("User-Agent", BROWSER));
            }
        }

        fixture.clock().advance(Duration.ofHours(23));
        sweep.run();
        assertEquals(arms.size(), messages(c), "before the wait nothing is decided or released");
        assertFalse(decided(c));

        fixture.clock().advance(Duration.ofHours(2));
        sweep.run();
        fixture.drain(dispatcher);
        assertTrue(decided(c));
        assertEquals(c.people().size(), messages(c), "one message for every person");
        assertEquals(0L, fixture.count("SELECT COUNT(*) FROM (SELECT contact_id FROM message WHERE step_id = ? GROUP BY contact_id "
                + "HAVING COUNT(*) > 1) x", c.stepId()), "nobody twice");
        Map<Long, Integer> after = armsSent(c);
        for (long person : c.people()) {
            int expected = VariantAssignment.inTest(c.stepId(), person, 50) ? arms.get(person) : 1;
            assertEquals(expected, after.get(person), "contact " + person + ": their test variant, or the winner B");
        }
        Map<Long, String> subjects = new HashMap<>();
        jdbc.query("SELECT m.contact_id, x.subject FROM message m JOIN captured_message x ON x.message_id = m.id "
                + "WHERE m.step_id = ?", rs -> subjects.put(rs.getLong(1), rs.getString(2)), c.stepId());
        c.people().stream().filter(p -> !VariantAssignment.inTest(c.stepId(), p, 50))
                .forEach(p -> assertEquals("Subject B for Pat", subjects.get(p), "contact " + p));

        sweep.run();
        fixture.drain(dispatcher);
        assertEquals(c.people().size(), messages(c), "a second sweep releases nothing");
        assertEquals(1L, audits(c));

        Map<String, Object> decision = (Map<String, Object>) ((List<Map<String, Object>>) api.get("/api/v1/campaigns/" + c.id(),
                c.token()).json().get("steps")).get(0).get("decision");
        assertEquals("B", decision.get("winner"));
        assertEquals(false, decision.get("fellBack"));
        assertEquals((long) (c.people().size() - arms.size()), ((Number) decision.get("released")).longValue());
        String detail = jdbc.queryOne("SELECT detail FROM audit_log WHERE action = 'campaign.variant_decision' AND entity_id = ?",
                rs -> rs.getString(1), String.valueOf(c.id())).orElseThrow();
        assertTrue(detail.contains("\"winner\":\"B\"") && detail.contains("pValue") && detail.contains("two-proportion z-test"), detail);

        Map<String, Object> reported = (Map<String, Object>) ((List<Map<String, Object>>) api.get("/api/v1/reports/campaigns/" + c.id(),
                c.token()).json().get("variants")).get(0).get("decision");
        assertEquals("DECIDED", reported.get("status"));
        assertEquals("B", reported.get("winner"));
        assertEquals("B", reported.get("best"));
        List<Map<String, Object>> numbers = (List<Map<String, Object>>) reported.get("variants");
        long reachedB = arms.values().stream().filter(v -> v == 1).count();
        assertEquals(reachedB, ((Number) numbers.get(1).get("reached")).longValue(), "the numbers the decision saw");
        assertEquals(reachedB, ((Number) numbers.get(1).get("successes")).longValue());
        assertEquals(0L, ((Number) numbers.get(0).get("successes")).longValue());
        double p = ((Number) numbers.get(0).get("pValue")).doubleValue();
        assertTrue(p < 0.05, "p = " + p);
        long reachedA = arms.size() - reachedB;
        assertEquals(WinnerRule.twoSidedP(WinnerRule.z(reachedB, reachedB, 0, reachedA)), p, 1e-12);

        Api.Response page = users.page(client, Role.MANAGER).get("/admin/campaigns/" + c.id() + "/report");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Decision: variant B won"), "the decision on the report page");
    }

    @Test
    @SuppressWarnings("unchecked")
    void underTheMinimumSampleTheFallbackGoesOutWithANotice() {
        Api api = new Api(client);
        Launched c = launch(api, "WINB2", 1000);
        Map<Long, Integer> arms = armsSent(c);
        for (long message : jdbc.query("SELECT id FROM message WHERE step_id = ?", rs -> rs.getLong(1), c.stepId())) {
            if (arms.get(jdbc.queryLong("SELECT contact_id FROM message WHERE id = ?", message)) == 1) {
                api.send(HttpRequest.GET(fixture.firstLinkPath(message)).header("User-Agent", BROWSER));
            }
        }
        fixture.clock().advance(Duration.ofHours(25));
        sweep.run();
        fixture.drain(dispatcher);
        Map<Long, Integer> after = armsSent(c);
        c.people().stream().filter(p -> !VariantAssignment.inTest(c.stepId(), p, 50))
                .forEach(p -> assertEquals(0, after.get(p), "the fallback, A, for contact " + p));
        assertEquals(c.people().size(), messages(c));
        Map<String, Object> decision = (Map<String, Object>) ((List<Map<String, Object>>) api.get("/api/v1/campaigns/" + c.id(),
                c.token()).json().get("steps")).get(0).get("decision");
        assertEquals("A", decision.get("winner"));
        assertEquals(true, decision.get("fellBack"));
        assertTrue(((String) decision.get("notice")).contains("at least 1000 per variant"), decision.toString());
        assertEquals(1L, audits(c));
        Api.Response page = users.page(client, Role.MANAGER).get("/admin/campaigns/" + c.id() + "/report");
        assertTrue(page.body().contains("sent to the rest as the fallback") && page.body().contains("Too few people reached"),
                "the fallback and its notice on the report page");
    }

    @Test
    void twoNodesDecidingAtOnceReleaseOnce() throws Exception {
        Api api = new Api(client);
        Launched c = launch(api, "WINK3", 10);
        long share = messages(c);
        fixture.clock().advance(Duration.ofHours(25));
        CountDownLatch start = new CountDownLatch(1);
        Callable<Boolean> decide = () -> {
            start.await();
            return decisions.decide(c.stepId());
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = new ArrayList<>(List.of(pool.submit(decide), pool.submit(decide)));
            start.countDown();
            long made = 0;
            for (Future<Boolean> f : results) {
                made += f.get() ? 1 : 0;
            }
            assertEquals(1, made, "exactly one of the two decided");
        } finally {
            pool.shutdownNow();
        }
        assertFalse(decisions.decide(c.stepId()), "and a later run finds it decided");
        fixture.drain(dispatcher);
        assertEquals(c.people().size(), messages(c));
        assertTrue(messages(c) > share);
        assertEquals(1L, audits(c));
        assertEquals(2L, fixture.count("SELECT COUNT(*) FROM step_test_arm WHERE step_id = ?", c.stepId()));
        assertEquals((long) c.people().size(), fixture.count("SELECT COUNT(DISTINCT contact_id) FROM message WHERE step_id = ?",
                c.stepId()));
    }

    /** 120 people, no holdout, half in the test share, A and B at 50/50; launched, the test share sent. */
    @SuppressWarnings("unchecked")
    private Launched launch(Api api, String tag, int minPerVariant) {
        String token = users.token(api, Role.COORDINATOR);
        fixture.daytime();
        List<Long> people = fixture.contacts(tag, 120, "America/Chicago");
        long a = email("A"), b = email("B");
        Map<String, Object> test = Map.of("testPercent", 50, "testWait", "PT24H", "winnerMetric", "CLICK", "minPerVariant", minPerVariant);
        Map<String, Object> form = Map.of("name", "Two subject lines, tested", "segmentId", fixture.segment(tag),
                "steps", List.of(tested(a, List.of(Map.of("templateId", a, "percent", 50), Map.of("templateId", b, "percent", 50)), test)));
        Api.Response created = api.post("/api/v1/campaigns", form, token);
        assertEquals(201, created.status(), created.body());
        long id = ((Number) created.json().get("id")).longValue();
        long stepId = ((Number) ((List<Map<String, Object>>) created.json().get("steps")).get(0).get("id")).longValue();
        assertEquals(200, api.post("/api/v1/campaigns/" + id + "/schedule", "", token).status());
        launcher.launch(id);
        fixture.drain(dispatcher);
        return new Launched(id, stepId, token, people);
    }

    /** Each contact's variant index on the step, by the version their message carries. */
    private Map<Long, Integer> armsSent(Launched c) {
        Map<Long, Integer> arms = new LinkedHashMap<>();
        jdbc.query("SELECT m.contact_id, v.variant_index FROM message m JOIN template_version tv ON tv.id = m.template_version_id "
                        + "JOIN step_variant v ON v.step_id = m.step_id AND v.template_id = tv.template_id AND v.template_version = tv.version "
                        + "WHERE m.step_id = ? AND m.status = 'SENT'",
                rs -> arms.put(rs.getLong(1), rs.getInt(2)), c.stepId());
        return arms;
    }

    private long messages(Launched c) {
        return fixture.count("SELECT COUNT(*) FROM message WHERE step_id = ?", c.stepId());
    }

    private boolean decided(Launched c) {
        return fixture.count("SELECT COUNT(*) FROM step_test WHERE step_id = ? AND decided_at IS NOT NULL", c.stepId()) == 1;
    }

    private long audits(Launched c) {
        return fixture.count("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.variant_decision' AND entity_id = ?",
                String.valueOf(c.id()));
    }

    private static Map<String, Object> tested(long template, List<Map<String, Object>> variants, Map<String, Object> test) {
        Map<String, Object> step = new LinkedHashMap<>(Map.of("channel", "EMAIL", "templateId", template, "afterEnrollment", "PT0S",
                "variants", variants));
        step.putAll(test);
        return step;
    }

    private long email(String label) {
        return templates.create(new TemplateViews.Form("winner " + label + " " + UUID.randomUUID(), Channel.EMAIL, null, null, null,
                List.of(new TemplateVariant("en", "Subject " + label + " for ${contact.firstName}",
                        "<p>Body " + label + ": <a href=\"${link(\"https://example.org/" + label + "\")}\">read</a></p>"
                                + "<p><a href=\"${unsubscribe_url}\">Unsubscribe</a></p>",
                        null, null))), "test").id();
    }
}
