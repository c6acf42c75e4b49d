package health.outreach.booking;

import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.SignedWebhooks;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bookings arriving after real sends: which message gets the credit, what falls outside the window,
 * and that a booking stops the person's remaining steps.
 */
@MicronautTest(transactional = false)
class AttributionFlowTest {

    private static final String BROWSER = "Mozilla/5.0 (Linux; Android 14) Mobile";
    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("attribution-secret".getBytes());

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    @Client("/")
    HttpClient client;

    private long clinic;

    private void clinicOnce() {
        if (clinic == 0) {
            clinic = jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, 'North', 'America/Chicago', ?, ?)",
                    "north-" + UUID.randomUUID().toString().substring(0, 6), SECRET, Instant.now());
        }
    }

    private Map<String, Object> book(long contact) {
        String email = jdbc.queryOne("SELECT email FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
        String body = "{\"bookingId\":\"" + UUID.randomUUID() + "\",\"status\":\"BOOKED\",\"contact\":{\"email\":\"" + email + "\"}}";
        String id = "msg_" + UUID.randomUUID();
        Instant now = fixture.clock().instant();
        Api.Response r = new Api(client).send(SignedWebhooks.post("/webhooks/bookings", SECRET, id, now.getEpochSecond(), body));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private List<Long> steps(long campaign) {
        return jdbc.query("SELECT id FROM campaign_step WHERE campaign_id = ? ORDER BY step_order", rs -> rs.getLong(1), campaign);
    }

    private String token(long campaign, long contact, long step) {
        return fixture.tokenOf("SELECT id FROM message WHERE campaign_id = ? AND contact_id = ? AND step_id = ?", campaign, contact, step);
    }

    private static long number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).longValue();
    }

    @Test
    void clickBeatsDeliveredWindowLimitsAndBookingStopsLaterSteps() {
        clinicOnce();
        fixture.daytime();
        List<Long> people = fixture.contacts("attrflow", 4, "America/Chicago");
        long clicker = people.get(0), delivered = people.get(1), late = people.get(2), early = people.get(3);
        long template = fixture.emailTemplate();
        long campaign = fixture.launch(fixture.segment("attrflow"), 0, DeliveryFixture.now(Channel.EMAIL, template),
                new CampaignViews.StepForm(Channel.EMAIL, template, null, null, "P3D", null, null));
        List<Long> steps = steps(campaign);
        fixture.drain(dispatcher);

        long clickedMessage = jdbc.queryLong("SELECT id FROM message WHERE campaign_id = ? AND contact_id = ? AND step_id = ?",
                campaign, clicker, steps.get(0));
        Api.Response click = new Api(client).send(HttpRequest.GET(fixture.firstLinkPath(clickedMessage))
                .header("User-Agent", BROWSER));
        assertEquals(302, click.status());

        // A day later one person books: step 1 gets the credit and their step 2 never goes out.
        fixture.clock().advance(Duration.ofDays(1));
        Map<String, Object> earlyBooking = book(early);
        assertEquals("ATTRIBUTED", earlyBooking.get("attribution"));
        assertEquals(steps.get(0), number(earlyBooking, "stepId"));

        fixture.clock().advance(Duration.ofDays(3));
        fixture.drain(dispatcher);
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM message WHERE step_id = ? AND status = 'SENT'", steps.get(1)));
        assertEquals("SKIPPED", jdbc.queryOne("SELECT status FROM message WHERE contact_id = ? AND step_id = ?",
                rs -> rs.getString(1), early, steps.get(1)).orElseThrow());

        Map<String, Object> clicked = book(clicker);
        assertEquals(steps.get(0), number(clicked, "stepId"), "the clicked step 1 beats the later delivered step 2");
        assertEquals("CLICKED", jdbc.queryOne("SELECT touch FROM booking WHERE contact_id = ?", rs -> rs.getString(1), clicker).orElseThrow());
        Map<String, Object> plain = book(delivered);
        assertEquals(steps.get(1), number(plain, "stepId"), "without a click, the last message delivered");
        assertEquals("EMAIL", plain.get("channel"));

        fixture.clock().advance(Duration.ofDays(31));
        Map<String, Object> outside = book(late);
        assertEquals("UNATTRIBUTED", outside.get("attribution"));
        assertNull(outside.get("campaignId"));

        assertEquals(2, fixture.count("SELECT SUM(booked) FROM report_counter WHERE campaign_id = ? AND step_id = ?", campaign, steps.get(0)));
        assertEquals(1, fixture.count("SELECT SUM(booked) FROM report_counter WHERE campaign_id = ? AND step_id = ?", campaign, steps.get(1)));
        assertEquals(3, fixture.count("SELECT booked FROM campaign_counter WHERE campaign_id = ?", campaign));
        // The three attributed bookings stopped their enrollments; the one outside the window did not.
        assertEquals(3, fixture.count("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ? AND stop_reason = 'BOOKED'", campaign));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM enrollment WHERE contact_id = ? AND stop_reason = 'BOOKED'", late));
    }

    @Test
    void aHoldoutContactsBookingIsRecordedForTheControlGroup() {
        clinicOnce();
        fixture.daytime();
        List<Long> people = fixture.contacts("attrhold", 1, "America/Chicago");
        long campaign = fixture.launch(fixture.segment("attrhold"), 100, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign));
        Map<String, Object> booking = book(people.get(0));
        assertEquals("HOLDOUT", booking.get("attribution"));
        assertEquals(campaign, number(booking, "campaignId"));
        assertEquals(1, fixture.count("SELECT booked_holdout FROM campaign_counter WHERE campaign_id = ?", campaign));
        assertEquals(0, fixture.count("SELECT COALESCE(SUM(booked), 0) FROM report_counter WHERE campaign_id = ?", campaign));
    }

    @Test
    void theBookingPageRequestsAConsultationAndRefusesCrossSitePosts() {
        clinicOnce();
        fixture.daytime();
        List<Long> people = fixture.contacts("attrpage", 1, "America/Chicago");
        long campaign = fixture.launch(fixture.segment("attrpage"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        String token = token(campaign, people.get(0), steps(campaign).get(0));

        Api.Response page = new Api(client).send(HttpRequest.GET("/book/" + token).header("User-Agent", BROWSER));
        assertEquals(200, page.status());
        assertTrue(page.body().contains("name=\"viewport\""), "mobile first");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csrf.find());
        String form = "csrf=" + csrf.group(1) + "&clinic=" + clinic + "&times=Weekday+mornings&method=phone";

        assertEquals(403, postForm("/book/" + token, form, "cross-site").status());
        assertEquals(422, postForm("/book/" + token, form.replace("method=phone", "method=fax"), "same-origin").status());
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM booking WHERE contact_id = ?", people.get(0)));

        Api.Response done = postForm("/book/" + token, form, "same-origin");
        assertEquals(200, done.status());
        Map<String, Object> row = jdbc.queryOne("SELECT source, status, attribution, campaign_id, preferred_times, contact_method "
                + "FROM booking WHERE contact_id = ?", rs -> Map.<String, Object>of("source", rs.getString(1), "status", rs.getString(2),
                "attribution", rs.getString(3), "campaign", rs.getLong(4), "times", rs.getString(5), "method", rs.getString(6)),
                people.get(0)).orElseThrow();
        assertEquals(Map.of("source", "PAGE", "status", "REQUESTED", "attribution", "ATTRIBUTED", "campaign", campaign,
                "times", "Weekday mornings", "method", "phone"), row);

        // Sending the form again, and the clinic then confirming the visit, are still one person who booked.
        assertEquals(200, postForm("/book/" + token, form, "same-origin").status());
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM booking WHERE contact_id = ?", people.get(0)));
        book(people.get(0));
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM booking WHERE contact_id = ?", people.get(0)));
        assertEquals(1, fixture.count("SELECT booked FROM campaign_counter WHERE campaign_id = ?", campaign));
        assertEquals(1, fixture.count("SELECT SUM(booked) FROM report_counter WHERE campaign_id = ?", campaign));
    }

    @Test
    void aBookingThroughAnEmailsOwnPageIsThatEmailsEvenWhenANewerCampaignWroteLater() {
        clinicOnce();
        fixture.daytime();
        List<Long> people = fixture.contacts("attrown", 1, "America/Chicago");
        long person = people.get(0);
        long older = fixture.launch(fixture.segment("attrown"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        fixture.clock().advance(Duration.ofHours(2));
        long newer = fixture.launch(fixture.segment("attrown"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        fixture.drain(dispatcher);
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", newer),
                "the newer campaign's email went out after the older one's");
        String olderToken = token(older, person, steps(older).get(0));

        Api.Response page = new Api(client).send(HttpRequest.GET("/book/" + olderToken).header("User-Agent", BROWSER));
        assertEquals(200, page.status());
        long olderMessage = jdbc.queryLong("SELECT id FROM message WHERE campaign_id = ? AND contact_id = ?", older, person);
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM message WHERE id = ? AND clicked_at IS NOT NULL", olderMessage),
                "opening the email's booking page is a click on that email");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csrf.find());
        Api.Response done = postForm("/book/" + olderToken, "csrf=" + csrf.group(1) + "&clinic=" + clinic
                + "&times=Evenings&method=phone", "same-origin");
        assertEquals(200, done.status());

        assertEquals(older, jdbc.queryLong("SELECT campaign_id FROM booking WHERE contact_id = ?", person),
                "credited to the campaign whose email the person acted on, not the one that wrote last");
        assertEquals(olderMessage, jdbc.queryLong("SELECT message_id FROM booking WHERE contact_id = ?", person));
        assertEquals("OWN_LINK", jdbc.queryOne("SELECT touch FROM booking WHERE contact_id = ?", rs -> rs.getString(1), person)
                .orElseThrow(), "and says which rule credited it");

        Api.Response scanned = new Api(client).send(HttpRequest.GET("/book/" + token(newer, person, steps(newer).get(0)))
                .header("User-Agent", "Mozilla/5.0 (compatible; Barracuda Sentinel)"));
        assertEquals(200, scanned.status());
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND clicked_at IS NOT NULL", newer),
                "a mail scanner opening the page is no click");
    }

    private Api.Response postForm(String path, String body, String site) {
        return new Api(client).send(HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .header("User-Agent", BROWSER).header("Sec-Fetch-Site", site));
    }
}
