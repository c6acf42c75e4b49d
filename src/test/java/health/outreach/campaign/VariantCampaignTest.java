package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.report.Proportion;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step with two subject lines, through the API, the fan-out, the dispatcher, the capture outbox and the report. */
@MicronautTest(transactional = false)
class VariantCampaignTest {

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

    @Test
    @SuppressWarnings("unchecked")
    void variantsThatBreakARuleAreNamedByField() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        long segment = fixture.segment("VAR00");
        long a = email("A"), b = email("B");
        long sms = fixture.smsTemplate("Hi");
        List<Map<String, Object>> steps = List.of(
                step(a, variant(a, 50), variant(sms, 50)),
                step(a, variant(a, 60), variant(b, 30)),
                step(a, variant(a, 100)),
                step(a, variant(b, 50), variant(a, 50)),
                step(a, variant(a, 50), Map.of("templateId", a, "templateVersion", 1, "percent", 50)),
                step(a, variant(a, 50), variant(424242, 50)),
                step(a, variant(a, 50), Map.of("templateId", b, "templateVersion", 9, "percent", 50)),
                step(a, variant(a, 50), variant(b, 50)));
        Api.Response r = api.post("/api/v1/campaigns", Map.of("name", "Bad variants", "segmentId", segment, "steps", steps), token);
        assertEquals(422, r.status(), r.body());
        assertEquals("application/problem+json", r.raw().getContentType().orElseThrow().getName());
        List<Object> fields = ((List<Map<String, Object>>) r.json().get("errors")).stream().map(e -> e.get("field")).toList();
        assertEquals(List.of("steps[0].variants[1].templateId", "steps[1].variants", "steps[2].variants",
                "steps[3].variants[0].templateId", "steps[4].variants[1].templateVersion", "steps[5].variants[1].templateId",
                "steps[6].variants[1].templateVersion"), fields);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachPersonGetsTheirVariantsContentAndTheReportCountsEachVariant() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        fixture.daytime();
        String tag = "VAR01";
        List<Long> people = fixture.contacts(tag, 40, "America/Chicago");
        long a = email("A"), b = email("B");
        Map<String, Object> form = Map.of("name", "Two subject lines", "segmentId", fixture.segment(tag), "holdoutPercent", 10,
                "steps", List.of(step(a, variant(a, 30), variant(b, 70))));
        Api.Response created = api.post("/api/v1/campaigns", form, token);
        assertEquals(201, created.status(), created.body());
        long id = ((Number) created.json().get("id")).longValue();
        Map<String, Object> saved = ((List<Map<String, Object>>) created.json().get("steps")).get(0);
        List<Map<String, Object>> variants = (List<Map<String, Object>>) saved.get("variants");
        assertEquals(List.of("A", "B"), variants.stream().map(v -> v.get("label")).toList());
        assertEquals(List.of(30, 70), variants.stream().map(v -> ((Number) v.get("percent")).intValue()).toList());
        assertEquals(1, ((Number) variants.get(1).get("templateVersion")).intValue(), "pinned at save");
        long stepId = ((Number) saved.get("id")).longValue();

        assertEquals(200, api.post("/api/v1/campaigns/" + id + "/schedule", "", token).status());
        launcher.launch(id);
        fixture.drain(dispatcher);

        Map<Long, String> subjects = new HashMap<>();
        jdbc.query("SELECT m.contact_id, c.subject FROM message m JOIN captured_message c ON c.message_id = m.id "
                + "WHERE m.campaign_id = ?", rs -> subjects.put(rs.getLong(1), rs.getString(2)), id);
        List<Long> holdout = jdbc.query("SELECT contact_id FROM enrollment WHERE campaign_id = ? AND holdout", rs -> rs.getLong(1), id);
        assertEquals(people.size() - holdout.size(), subjects.size(), "one email for each person outside the holdout");
        assertTrue(holdout.stream().noneMatch(subjects::containsKey), "the holdout gets nothing");
        long[] perArm = new long[2];
        for (Map.Entry<Long, String> e : subjects.entrySet()) {
            int arm = VariantAssignment.pick(List.of(30, 70), stepId, e.getKey());
            perArm[arm]++;
            assertEquals("Subject " + (arm == 0 ? "A" : "B") + " for Pat", e.getValue(), "contact " + e.getKey());
        }
        assertTrue(perArm[0] > 0 && perArm[1] > 0, "both arms sent: " + perArm[0] + "/" + perArm[1]);

        // Click the messages of the first three people in A and of the first five in B.
        Map<Integer, Long> clicked = new HashMap<>();
        for (long message : jdbc.query("SELECT id FROM message WHERE campaign_id = ? ORDER BY id", rs -> rs.getLong(1), id)) {
            long contact = jdbc.queryLong("SELECT contact_id FROM message WHERE id = ?", message);
            int arm = VariantAssignment.pick(List.of(30, 70), stepId, contact);
            if (clicked.getOrDefault(arm, 0L) < (arm == 0 ? 3 : 5)) {
                api.send(HttpRequest.GET(fixture.firstLinkPath(message)).header("User-Agent", BROWSER));
                clicked.merge(arm, 1L, Long::sum);
            }
        }

        Api.Response report = api.get("/api/v1/reports/campaigns/" + id, token);
        assertEquals(200, report.status(), report.body());
        List<Map<String, Object>> steps = (List<Map<String, Object>>) report.json().get("variants");
        assertEquals(1, steps.size());
        List<Map<String, Object>> arms = (List<Map<String, Object>>) steps.get(0).get("variants");
        for (int arm = 0; arm < 2; arm++) {
            Map<String, Object> v = arms.get(arm);
            assertEquals(perArm[arm], ((Number) v.get("reached")).longValue(), "reached, variant " + v.get("label"));
            assertEquals((long) clicked.get(arm), ((Number) v.get("clicked")).longValue(), "clicked, variant " + v.get("label"));
            Proportion expected = Proportion.of(clicked.get(arm), perArm[arm]);
            Map<String, Object> rate = (Map<String, Object>) v.get("clickRate");
            assertEquals(expected.low(), ((Number) rate.get("low")).doubleValue(), 1e-9);
            assertEquals(expected.high(), ((Number) rate.get("high")).doubleValue(), 1e-9);
        }
        String best = (double) clicked.get(0) / perArm[0] >= (double) clicked.get(1) / perArm[1] ? "A" : "B";
        assertEquals(best, steps.get(0).get("bestByClicks"));

        Api.Response page = users.page(client, Role.MANAGER).get("/admin/campaigns/" + id + "/report");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<h2>By variant</h2>"), "the variants' table");
        assertTrue(page.body().contains("Step 1: click rate by variant"), "the variants' chart");
        assertTrue(page.body().contains("<td class=\"num\">" + perArm[1] + "</td><td class=\"num\">" + clicked.get(1) + "</td>"),
                "B's reached and clicked in the table");
    }

    private long email(String label) {
        return templates.create(new TemplateViews.Form("variant " + label + " " + UUID.randomUUID(), Channel.EMAIL, null, null, null,
                List.of(new TemplateVariant("en", "Subject " + label + " for ${contact.firstName}",
                        "<p>Body " + label + ": <a href=\"${link(\"https://example.org/" + label + "\")}\">read</a></p>"
                                + "<p><a href=\"${unsubscribe_url}\">Unsubscribe</a></p>",
                        null, null))), "test").id();
    }

    private static Map<String, Object> variant(long template, int percent) {
        return Map.of("templateId", template, "percent", percent);
    }

    @SafeVarargs
    private static Map<String, Object> step(long template, Map<String, Object>... variants) {
        return Map.of("channel", "EMAIL", "templateId", template, "afterEnrollment", "PT0S", "variants", List.of(variants));
    }
}
