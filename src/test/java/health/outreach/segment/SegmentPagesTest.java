package health.outreach.segment;

import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator defines an audience with condition rows or JSON and sees how many it reaches. */
@MicronautTest(transactional = false)
class SegmentPagesTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Jdbc jdbc;

    private PageSession as(Role role) {
        return users.page(client, role);
    }

    @Test
    void conditionRowsMakeASegmentWhosePageShowsItsCount() {
        // The fixture keeps the tag in postal_code: three match, one has no email consent.
        for (int i = 0; i < 3; i++) {
            fixture.contact("60601", "seg" + i + "@example.org", null, "America/Chicago", ConsentState.OPTED_IN, ConsentState.NONE);
        }
        fixture.contact("60601", "nomail@example.org", null, "America/Chicago", ConsentState.OPTED_OUT, ConsentState.NONE);
        fixture.contact("10001", "ny@example.org", null, "America/New_York", ConsentState.OPTED_IN, ConsentState.NONE);
        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/segments/new");

        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Chicago loop, email");
        form.put("mode", "rows");
        form.put("match", "ALL");
        form.put("cond.0.field", "consent.email");
        form.put("cond.0.op", "eq");
        form.put("cond.0.value", "OPTED_IN");
        form.put("cond.1.field", "shoeSize");
        form.put("cond.1.op", "eq");
        form.put("cond.1.value", "9");
        long before = jdbc.queryLong("SELECT COUNT(*) FROM segment");
        Api.Response refused = coordinator.post("/admin/segments", form);
        assertEquals(422, refused.status());
        assertTrue(refused.body().contains("<a href=\"#cond.1.field\">Condition 2, field</a>: unknown field"), "the bad condition, in words");
        assertTrue(refused.body().contains("aria-describedby=\"cond.1.field-error\""), "the error is tied to its field");
        assertTrue(refused.body().contains("value=\"shoeSize\""), "kept as typed");
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM segment"));

        form.put("cond.1.field", "postalCode");
        form.put("cond.1.op", "startsWith");
        form.put("cond.1.value", "606");
        Api.Response counted = coordinator.post("/admin/segments", with(form, "count", "1"));
        assertEquals(200, counted.status(), counted.body());
        assertTrue(counted.body().contains("<b>3</b>contacts match now"), "counted before saving");
        assertTrue(counted.body().contains("<option value=\"startsWith\" selected>starts with</option>"), "tests in words");
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM segment"), "counting saves nothing");
        String fresh = coordinator.get("/admin/segments/new").body();
        assertTrue(fresh.contains("name=\"cond.0.value\" value=\"\"") && !fresh.contains("<option value=\"consent.email\" selected>"),
                "a new segment starts with an empty row");
        Api.Response created = coordinator.post("/admin/segments", form);
        assertEquals(303, created.status(), created.body());
        Api.Response page = coordinator.get(created.header("Location"));
        assertTrue(page.body().contains("<b>3</b>contacts match now"), "3 in 606xx with email consent");

        Api.Response duplicate = coordinator.post("/admin/segments", form);
        assertEquals(422, duplicate.status(), "a second segment with the same name");
        assertTrue(duplicate.body().contains("already exists"));
    }

    @Test
    void nestedRulesAreEditedAsJsonAndValuesNeverReachTheSql() {
        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/segments/new");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Nested");
        form.put("mode", "json");
        form.put("json", "{\"match\":\"ANY\",\"conditions\":[{\"field\":\"language\",\"op\":\"eq\",\"value\":\"es\"},"
                + "{\"match\":\"ALL\",\"conditions\":[{\"field\":\"email\",\"op\":\"eq\",\"value\":\"x' OR '1'='1\"}]}]}");
        Api.Response created = coordinator.post("/admin/segments", form);
        assertEquals(303, created.status(), created.body());
        Api.Response page = coordinator.get(created.header("Location"));
        assertTrue(page.body().contains("<b>0</b>contacts match now"), "the quote is a value, not SQL");
        assertTrue(page.body().contains("value=\"json\" checked"), "a nested rule opens as JSON");

        form.put("name", "Broken");
        form.put("json", "{\"match\": ");
        Api.Response broken = coordinator.post("/admin/segments", form);
        assertEquals(422, broken.status());
        assertTrue(broken.body().contains("not a rule in JSON"));

        PageSession manager = as(Role.MANAGER);
        assertEquals(200, manager.get(created.header("Location")).status());
        assertEquals(403, manager.post(created.header("Location").replaceAll("\\?.*", ""), form).status());
        assertEquals(403, manager.get("/admin/segments/new").status());
    }

    @Test
    void deletingAsksFirstAndASegmentInUseNamesItsCampaigns() {
        PageSession coordinator = as(Role.COORDINATOR);
        long unused = fixture.segment("SEGDEL1");
        coordinator.get("/admin/segments/" + unused);
        Api.Response unconfirmed = coordinator.post("/admin/segments/" + unused + "/delete", Map.of());
        assertEquals(303, unconfirmed.status());
        assertEquals("/admin/segments/" + unused + "/confirm/delete", unconfirmed.header("Location"));
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM segment WHERE id = ?", unused), "not deleted without the confirmation");
        assertTrue(coordinator.get(unconfirmed.header("Location")).body().contains("Yes, delete"));
        assertEquals(303, coordinator.post("/admin/segments/" + unused + "/delete", Map.of("confirmed", "yes")).status());
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM segment WHERE id = ?", unused));

        long used = fixture.segment("SEGDEL2");
        long campaign = fixture.create(used, 0, DeliveryFixture.now(health.outreach.common.Channel.EMAIL, fixture.emailTemplate()));
        Api.Response blocked = coordinator.get("/admin/segments/" + used + "/confirm/delete");
        assertTrue(blocked.body().contains("cannot be deleted"), blocked.body());
        assertTrue(blocked.body().contains("href=\"/admin/campaigns/" + campaign + "\""), "a link to the campaign that uses it");
        assertTrue(!blocked.body().contains("Yes, delete"), "no button that would only fail");
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(form);
        copy.put(key, value);
        return copy;
    }
}
