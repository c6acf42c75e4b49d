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
import java.util.List;
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
    void aCoordinatorBuildsACampaignInThreePagesFixesWhatIsWrongAndSchedulesItFromTheReview() {
        fixture.contacts("PAGES1", 2, "America/New_York");
        fixture.contact("PAGES1", "pages1-noconsent@example.org", null, "America/New_York",
                health.outreach.contact.ConsentState.NONE, health.outreach.contact.ConsentState.NONE);
        long segment = fixture.segment("PAGES1");
        long email = fixture.emailTemplate();
        long sms = fixture.smsTemplate("Back pain tips from ${program.name}");
        PageSession coordinator = as(Role.COORDINATOR);

        Api.Response blank = coordinator.get("/admin/campaigns/new");
        assertEquals(200, blank.status());
        assertTrue(blank.body().contains("value=\"" + segment + "\""), "segments to choose from");
        assertTrue(blank.body().contains("(3 people)"), "with how many people each holds");

        Map<String, String> who = new LinkedHashMap<>();
        who.put("name", "");
        who.put("segmentId", Long.toString(segment));
        who.put("timeZone", "America/New_York");
        who.put("enrollment", "ONCE");
        who.put("holdoutPercent", "ten");
        who.put("attributionWindowDays", "30");
        long before = jdbc.queryLong("SELECT COUNT(*) FROM campaign");
        Api.Response refused = coordinator.post("/admin/campaigns", who);
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("There are 2 things to fix"), "all at once");
        assertTrue(refused.body().contains("<a href=\"#holdoutPercent\">Holdout</a>"), "the summary links to the field, in words");
        assertTrue(refused.body().contains("<a href=\"#name\">Name</a>: give the campaign a name"), refused.body());
        assertTrue(refused.body().contains("id=\"holdoutPercent\" name=\"holdoutPercent\" value=\"ten\" min=\"0\" max=\"50\" "
                + "aria-invalid=\"true\" aria-describedby=\"holdoutPercent-error\""), "the error is tied to its field, value kept");
        assertTrue(refused.body().contains("<details open>"), "the folded settings open where an error is");
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM campaign"), "nothing saved");

        Api.Response created = coordinator.post("/admin/campaigns", with(with(who, "name", "Spring awareness"), "holdoutPercent", "0"));
        assertEquals(303, created.status(), created.body());
        String location = created.header("Location");
        assertTrue(location.matches("/admin/campaigns/\\d+/steps"), location);
        long id = Long.parseLong(location.replaceAll("\\D+(\\d+)\\D.*", "$1"));
        Api.Response stepsPage = coordinator.get(location);
        assertEquals(200, stepsPage.status());
        assertTrue(stepsPage.body().contains("Step 3") && !stepsPage.body().contains("Step 4"), "three rows to fill in");
        assertTrue(stepsPage.body().contains("<optgroup label=\"SMS\">"), "messages grouped by channel");
        assertTrue(stepsPage.body().contains("Anyone who books a consultation gets no later steps"), "what booking does");

        Map<String, String> steps = new LinkedHashMap<>();
        steps.put("step.0.templateId", Long.toString(email));
        steps.put("step.0.timing", "after");
        steps.put("step.0.delay", "");
        steps.put("step.0.delayUnit", "days");
        steps.put("step.1.templateId", Long.toString(sms));
        steps.put("step.1.timing", "after");
        steps.put("step.1.delay", "three");
        steps.put("step.1.delayUnit", "days");
        steps.put("step.1.sendHour", "10");
        steps.put("step.2.templateId", "");
        steps.put("step.2.timing", "after");
        steps.put("step.2.delay", "");
        Api.Response wrong = coordinator.post(location, steps);
        assertEquals(422, wrong.status(), wrong.body());
        assertTrue(wrong.body().contains("<a href=\"#step.1.delay\">Step 2, wait</a>: a whole number, such as 3"), wrong.body());
        assertTrue(wrong.body().contains("value=\"three\""), "what was typed comes back");
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM campaign_step WHERE campaign_id = ?", id), "nothing saved");

        Api.Response added = coordinator.post(location, with(steps, "addStep", "1"));
        assertEquals(200, added.status());
        assertTrue(added.body().contains("Step 4"), "one more blank step to fill in");

        Api.Response saved = coordinator.post(location, with(steps, "step.1.delay", "3"));
        assertEquals(303, saved.status(), saved.body());
        assertEquals("/admin/campaigns/" + id + "/review", saved.header("Location"));
        assertEquals(2, jdbc.queryLong("SELECT COUNT(*) FROM campaign_step WHERE campaign_id = ?", id), "the empty row is ignored");
        assertEquals("P3D", jdbc.queryOne("SELECT after_enrollment FROM campaign_step WHERE campaign_id = ? AND step_order = 2",
                rs -> rs.getString(1), id).orElseThrow());
        assertEquals("SMS", jdbc.queryOne("SELECT channel FROM campaign_step WHERE campaign_id = ? AND step_order = 2",
                rs -> rs.getString(1), id).orElseThrow(), "the channel is the message's");

        Api.Response review = coordinator.get("/admin/campaigns/" + id + "/review");
        assertEquals(200, review.status());
        assertTrue(review.body().contains("3 days after joining, at 10:00 in their day"), "the SMS step in words");
        assertTrue(review.body().contains("<b>3</b>in PAGES1") || review.body().contains("<b>3</b>in "), "the audience now");
        assertTrue(review.body().contains("1 of 3 people cannot get email steps"), "who the consent rule leaves out");
        assertTrue(review.body().contains("as soon as you schedule it"), "when it launches");
        assertFalse(java.util.regex.Pattern.compile("\\bP(T?\\d+[DHMS])+\\b").matcher(review.body()).find(), "no ISO-8601 duration");
        assertFalse(java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d").matcher(review.body()).find(),
                "no ISO-8601 timestamp");

        Api.Response page = coordinator.get("/admin/campaigns/" + id);
        assertTrue(page.body().contains("/admin/campaigns/" + id + "/review"), "a DRAFT is scheduled from its review");
        Api.Response unconfirmed = coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of());
        assertEquals(303, unconfirmed.status());
        assertEquals("/admin/campaigns/" + id + "/confirm/schedule", unconfirmed.header("Location"), "asked first");
        assertEquals("DRAFT", status(id), "nothing scheduled without the confirmation");
        assertEquals("/admin/campaigns/" + id + "/review", coordinator.get("/admin/campaigns/" + id + "/confirm/schedule").header("Location"),
                "the review is the confirmation");

        Api.Response scheduledNow = coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of("confirmed", "yes"));
        assertEquals(303, scheduledNow.status());
        assertEquals("SCHEDULED", status(id));
        Api.Response scheduled = coordinator.get(scheduledNow.header("Location"));
        assertTrue(scheduled.body().contains("Scheduled: it launches now."), "the banner says what happens");
        assertFalse(scheduled.body().contains("/review\""), "no second schedule button");
        assertEquals(303, coordinator.get("/admin/campaigns/" + id + "/steps").status(), "only a draft is edited");
        assertTrue(scheduled.body().contains("/admin/campaigns/" + id + "/confirm/cancel"), "cancel asks first too");
        Api.Response cancel = coordinator.get("/admin/campaigns/" + id + "/confirm/cancel");
        assertTrue(cancel.body().contains("This cannot be undone"), cancel.body());

        Api.Response again = coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of("confirmed", "yes"));
        assertEquals(409, again.status(), "an illegal move is a page saying why");
        assertTrue(again.body().contains("A SCHEDULED campaign cannot schedule"), again.body());
        assertTrue(again.contentType().startsWith("text/html"));
    }

    @Test
    void aDraftWithoutStepsIsSavedButNotScheduled() {
        long segment = fixture.segment("PAGES3");
        PageSession coordinator = as(Role.COORDINATOR);
        Api.Response created = coordinator.post("/admin/campaigns", Map.of("name", "Steps later", "segmentId", Long.toString(segment)));
        assertEquals(303, created.status(), created.body());
        long id = Long.parseLong(created.header("Location").replaceAll("\\D+(\\d+)\\D.*", "$1"));
        Api.Response review = coordinator.get("/admin/campaigns/" + id + "/review");
        assertTrue(review.body().contains("a campaign needs at least one step"), review.body());
        assertFalse(review.body().contains("Schedule it"), "nothing to schedule yet");
        assertEquals(422, coordinator.post("/admin/campaigns/" + id + "/schedule", Map.of("confirmed", "yes")).status());
        assertEquals("DRAFT", status(id));
    }

    @Test
    void aCampaignIsDuplicatedAsADraftFoundByNameAndItsSendsAreOnTheCalendar() {
        fixture.contacts("PAGES4", 2, "America/New_York");
        long segment = fixture.segment("PAGES4");
        long email = fixture.emailTemplate();
        long id = fixture.launch(segment, 0, new CampaignViews.StepForm(health.outreach.common.Channel.EMAIL, email, null, null,
                "P2D", null, null));
        String name = jdbc.queryOne("SELECT name FROM campaign WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
        PageSession coordinator = as(Role.COORDINATOR);

        Api.Response copied = coordinator.post("/admin/campaigns/" + id + "/duplicate", Map.of());
        assertEquals(303, copied.status(), copied.body());
        long copy = Long.parseLong(copied.header("Location").replaceAll("\\D+(\\d+)\\D.*", "$1"));
        assertTrue(copy != id);
        assertEquals("DRAFT", status(copy));
        assertEquals("Copy of " + name, jdbc.queryOne("SELECT name FROM campaign WHERE id = ?", rs -> rs.getString(1), copy).orElseThrow());
        assertEquals("P2D", jdbc.queryOne("SELECT after_enrollment FROM campaign_step WHERE campaign_id = ?", rs -> rs.getString(1), copy)
                .orElseThrow(), "the steps come along");
        assertTrue(coordinator.get(copied.header("Location")).body().contains("A copy, as a draft"), "and says so");

        Api.Response found = coordinator.get("/admin/campaigns?q=" + name.substring(9, 20) + "&status=draft");
        assertTrue(found.body().contains("Copy of " + name) && !found.body().contains(">" + name + "<"), "search and status filter");

        java.time.LocalDate due = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        Api.Response calendar = coordinator.get("/admin/campaigns/calendar?month=" + java.time.YearMonth.from(due));
        assertEquals(200, calendar.status());
        // The viewer's zone may put the day in the month before when the two days from now fall on the 1st.
        String both = calendar.body() + coordinator.get("/admin/campaigns/calendar?month=" + java.time.YearMonth.from(due.minusDays(1))).body();
        assertTrue(both.contains(name + ": step 1, email, 2"), "two messages waiting, on their day: " + calendar.body());
        assertEquals(200, coordinator.get("/admin/campaigns/calendar?month=never").status(), "a bad month shows this month");
    }

    @Test
    void savingAStepOrTheSettingsInThePagesKeepsTheStepsVariants() {
        long segment = fixture.segment("PAGES5");
        long a = fixture.emailTemplate();
        long b = fixture.emailTemplate();
        long id = fixture.create(segment, 0, new CampaignViews.StepForm(health.outreach.common.Channel.EMAIL, a, null, null, "PT0S",
                null, null, List.of(new CampaignViews.VariantForm(a, null, 50), new CampaignViews.VariantForm(b, null, 50)),
                20, "PT24H", "CLICK", 50, "FIRST"));
        PageSession coordinator = as(Role.COORDINATOR);
        Api.Response steps = coordinator.get("/admin/campaigns/" + id + "/steps");
        assertTrue(steps.body().contains("A/B variants: A 50%"), "the page says the step has variants");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("step.0.templateId", Long.toString(a));
        form.put("step.0.timing", "after");
        form.put("step.0.delay", "2");
        form.put("step.0.delayUnit", "hours");
        assertEquals(303, coordinator.post("/admin/campaigns/" + id + "/steps", form).status());
        assertEquals("PT2H", jdbc.queryOne("SELECT after_enrollment FROM campaign_step WHERE campaign_id = ?", rs -> rs.getString(1), id)
                .orElseThrow(), "the timing changed");
        assertEquals(2, variants(id), "and the variants stayed");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM step_test t JOIN campaign_step s ON s.id = t.step_id "
                + "WHERE s.campaign_id = ? AND t.test_percent = 20", id), "and so did their test");
        String review = coordinator.get("/admin/campaigns/" + id + "/review").body();
        assertTrue(review.contains("A/B: A 50%, B 50%") && review.contains("first to 20% of them, then after 1 day"), review);

        coordinator.get("/admin/campaigns/" + id + "/edit");
        assertEquals(303, coordinator.post("/admin/campaigns/" + id, Map.of("name", "Renamed", "segmentId", Long.toString(segment)))
                .status());
        assertEquals(2, variants(id), "saving who and when keeps them too");
    }

    private long variants(long campaign) {
        return jdbc.queryLong("SELECT COUNT(*) FROM step_variant v JOIN campaign_step s ON s.id = v.step_id WHERE s.campaign_id = ?",
                campaign);
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
