package health.outreach.campaign;

import health.outreach.common.Jdbc;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator builds, fixes and schedules a campaign in the admin pages; a manager only reads. */
@MicronautTest(transactional = false)
class CampaignPagesTest {

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
    void aCoordinatorBuildsACampaignFixesWhatIsWrongAndSchedulesIt() {
        long segment = fixture.segment("PAGES1");
        long email = fixture.emailTemplate();
        long sms = fixture.smsTemplate("Back pain tips from ${program.name}");
        PageSession coordinator = as(Role.COORDINATOR);

        Api.Response blank = coordinator.get("/admin/campaigns/new");
        assertEquals(200, blank.status());
        assertTrue(blank.body().contains("value=\"" + segment + "\""), "segments to choose from");

        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Spring awareness");
        form.put("segmentId", Long.toString(segment));
        form.put("timeZone", "America/New_York");
        form.put("enrollment", "ONCE");
        form.put("holdoutPercent", "ten");
        form.put("attributionWindowDays", "30");
        form.put("step.0.channel", "EMAIL");
        form.put("step.0.templateId", Long.toString(email));
        form.put("step.0.timing", "now");
        form.put("step.1.channel", "SMS");
        form.put("step.1.templateId", Long.toString(sms));
        form.put("step.1.timing", "after");
        form.put("step.1.after", "three days");
        form.put("step.1.sendHour", "10");
        long before = jdbc.queryLong("SELECT COUNT(*) FROM campaign");
        Api.Response refused = coordinator.post("/admin/campaigns", form);
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("holdoutPercent"), "names the bad field");
        assertTrue(refused.body().contains("steps[1].afterEnrollment"), "and every other one, at once");
        assertTrue(refused.body().contains("value=\"three days\""), "what was typed comes back");
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM campaign"), "nothing saved");

        Api.Response added = coordinator.post("/admin/campaigns", with(form, "addStep", "1"));
        assertEquals(200, added.status());
        assertTrue(added.body().contains("Step 3"), "a blank third step to fill in");

        form.put("holdoutPercent", "10");
        form.put("step.1.after", "P3D");
        Api.Response created = coordinator.post("/admin/campaigns", form);
        assertEquals(303, created.status(), created.body());
        String location = created.header("Location");
        assertTrue(location.matches("/admin/campaigns/\\d+\\?notice=created"), location);
        long id = Long.parseLong(location.replaceAll("\\D+(\\d+)\\D.*", "$1"));

        Api.Response page = coordinator.get(location);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Saved."), "the notice");
        assertTrue(page.body().contains("3 days after enrollment, at 10:00 local"), "the SMS step as entered, in words");
        assertFalse(java.util.regex.Pattern.compile("\\bP(T?\\d+[DHMS])+\\b").matcher(page.body()).find(), "no ISO-8601 duration");
        assertFalse(java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d").matcher(page.body()).find(),
                "no ISO-8601 timestamp");
        assertTrue(page.body().contains("/admin/campaigns/" + id + "/confirm/schedule"), "a DRAFT can be scheduled");

        Api.Response unconfirmed = coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of());
        assertEquals(303, unconfirmed.status());
        assertEquals("/admin/campaigns/" + id + "/confirm/schedule", unconfirmed.header("Location"), "asked first");
        assertEquals("DRAFT", status(id), "nothing scheduled without the confirmation");
        Api.Response confirm = coordinator.get("/admin/campaigns/" + id + "/confirm/schedule");
        assertEquals(200, confirm.status());
        assertTrue(confirm.body().contains("as soon as you confirm"), "no start time: it says it launches at once");
        assertTrue(confirm.body().contains("gets none of the later steps"), "what booking does");

        Api.Response scheduledNow = coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of("confirmed", "yes"));
        assertEquals(303, scheduledNow.status());
        assertEquals("SCHEDULED", status(id));
        Api.Response scheduled = coordinator.get(scheduledNow.header("Location"));
        assertTrue(scheduled.body().contains("Scheduled: it launches now."), "the banner says what happens");
        assertFalse(scheduled.body().contains("/confirm/schedule\""), "no second schedule button");
        assertTrue(scheduled.body().contains("/admin/campaigns/" + id + "/confirm/cancel"), "cancel asks first too");
        Api.Response cancel = coordinator.get("/admin/campaigns/" + id + "/confirm/cancel");
        assertTrue(cancel.body().contains("This cannot be undone"), cancel.body());

        Api.Response again = coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of("confirmed", "yes"));
        assertEquals(409, again.status(), "an illegal move is a page saying why");
        assertTrue(again.body().contains("A SCHEDULED campaign cannot schedule"), again.body());
        assertTrue(again.contentType().startsWith("text/html"));
    }

    @Test
    void aManagerReadsButCannotChangeAndAFormWithoutItsTokenChangesNothing() {
        long segment = fixture.segment("PAGES2");
        long id = fixture.create(segment, 0, DeliveryFixture.now(health.outreach.common.Channel.EMAIL, fixture.emailTemplate()));
        PageSession manager = as(Role.MANAGER);
        assertEquals(200, manager.get("/admin/campaigns").status());
        Api.Response page = manager.get("/admin/campaigns/" + id);
        assertEquals(200, page.status());
        assertFalse(page.body().contains("/schedule"), "no buttons a manager may not use");
        assertEquals(403, manager.post("/admin/campaigns/" + id + "/schedule", Map.of()).status());
        assertEquals(403, manager.get("/admin/campaigns/new").status());

        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/campaigns/" + id);
        assertEquals(403, coordinator.submit("/admin/campaigns/" + id + "/schedule", Map.of()).status(), "no token");
        assertEquals(403, coordinator.submit("/admin/campaigns/" + id + "/schedule", Map.of("_csrf", "x" + coordinator.csrf())).status());
        assertEquals(403, coordinator.send("/admin/campaigns/" + id + "/schedule", Map.of("_csrf", coordinator.csrf()),
                Map.of("Origin", "https://evil.example")).status(), "posted from another origin");
        assertEquals("DRAFT", status(id));
        assertEquals(404, coordinator.post("/admin/campaigns/" + id + "/explode", Map.of()).status());
        assertEquals(404, coordinator.get("/admin/campaigns/987654").status());
        Api.Response mistyped = coordinator.get("/admin/campaigns/abc");
        assertEquals(400, mistyped.status());
        assertTrue(mistyped.contentType().startsWith("text/html"), "a page, like every problem under /admin");
        assertTrue(coordinator.get("/admin/no-such-page").contentType().startsWith("text/html"));
    }

    private String status(long id) {
        return jdbc.queryOne("SELECT status FROM campaign WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(form);
        copy.put(key, value);
        return copy;
    }
}
