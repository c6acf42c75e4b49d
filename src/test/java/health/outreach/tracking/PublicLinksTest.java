package health.outreach.tracking;

import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The links in a sent email, followed the way people, mail scanners and attackers follow them. */
@MicronautTest(transactional = false)
class PublicLinksTest {

    private static final String BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";
    private static final Pattern CLICK_LINK = Pattern.compile("/r/([A-Za-z0-9_-]{22}-[0-9]+)");

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    @Client("/")
    HttpClient client;

    private Api api() {
        return new Api(client);
    }

    /** One contact, one email step sent now (and an optional second step three days later). */
    private long sendFirstEmail(String tag, boolean secondStep) {
        fixture.daytime();
        fixture.contacts(tag, 1, "America/Chicago");
        long template = fixture.emailTemplate();
        CampaignViews.StepForm later = new CampaignViews.StepForm(Channel.EMAIL, template, null, null, "P3D", null, null);
        long campaign = secondStep
                ? fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, template), later)
                : fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, template));
        fixture.drain(dispatcher);
        return campaign;
    }

    private long firstSent(long campaign) {
        return jdbc.queryLong("SELECT MIN(id) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign);
    }

    private String token(long campaign) {
        return fixture.token(firstSent(campaign));
    }

    /** "{token}-{link id}" of the campaign's first sent message's first link. */
    private String click(long campaign) {
        return fixture.firstLinkPath(firstSent(campaign)).substring("/r/".length());
    }

    private String storedUrl(long campaign) {
        return fixture.firstLinkUrl(firstSent(campaign));
    }

    private Api.Response get(String path, String userAgent) {
        return api().send(HttpRequest.GET(path).header("User-Agent", userAgent));
    }

    @Test
    void redirectsOnlyToTheStoredUrlWhateverTheRequestSays() {
        long campaign = sendFirstEmail("openredirect", false);
        String click = click(campaign);
        String stored = storedUrl(campaign);
        assertEquals("https://example.org/spine", stored);

        Api.Response ok = get("/r/" + click, BROWSER);
        assertEquals(302, ok.status());
        assertEquals(stored, ok.header("Location"));
        for (String added : List.of("?url=https://evil.example", "?next=//evil.example", "?redirect=%2F%2Fevil.example")) {
            Api.Response r = get("/r/" + click + added, BROWSER);
            assertEquals(302, r.status(), added);
            assertEquals(stored, r.header("Location"), added);
        }
        List<String> attacks = List.of("//evil.example", "/%5Cevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example",
                "https:%2F%2Fevil.example", "HtTpS:%2F%2Fevil.example", "JaVaScRiPt:alert(1)", "%6A%61vascript:alert(1)",
                "data:text%2Fhtml,x", click + "%2F%2Fevil.example", click + "@evil.example", click.toUpperCase(),
                click.substring(0, 22) + "-0", click.substring(0, 22) + "-99", "AAAAAAAAAAAAAAAAAAAAAA-1");
        for (String attack : attacks) {
            Api.Response r = get("/r/" + attack, BROWSER);
            assertNotEquals(302, r.status(), attack);
            String location = r.header("Location");
            assertTrue(location == null || !location.contains("evil"), attack + " -> " + location);
        }
    }

    @Test
    void clicksCountUniquelyPerMessageAndScannersDoNotCount() {
        long campaign = sendFirstEmail("clicks", false);
        String click = click(campaign);
        get("/r/" + click, "Mozilla/5.0 (compatible; proofpoint URL defense)");
        api().send(HttpRequest.HEAD("/r/" + click).header("User-Agent", BROWSER));
        assertEquals(0, fixture.count("SELECT COALESCE(SUM(clicked), 0) FROM report_counter WHERE campaign_id = ?", campaign));

        get("/r/" + click, BROWSER);
        get("/r/" + click, BROWSER);
        assertEquals(2, fixture.count("SELECT SUM(clicked) FROM report_counter WHERE campaign_id = ?", campaign));
        assertEquals(1, fixture.count("SELECT SUM(clicked_unique) FROM report_counter WHERE campaign_id = ?", campaign));
        assertEquals(2, fixture.count("SELECT COUNT(*) FROM event WHERE campaign_id = ? AND event_type = 'CLICKED'", campaign));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND clicked_at IS NOT NULL", campaign));
    }

    @Test
    void unknownAndForgedTokensGetTheSameNeutralPage() {
        long campaign = sendFirstEmail("neutral", false);
        String real = token(campaign);
        String forged = (real.charAt(0) == 'A' ? "B" : "A") + real.substring(1);
        Api.Response unknown = get("/u/" + forged, BROWSER);
        Api.Response garbage = get("/u/..%2F..%2Fetc%2Fpasswd", BROWSER);
        Api.Response preferences = get("/p/" + forged, BROWSER);
        assertEquals(404, unknown.status());
        assertEquals(unknown.body(), garbage.body());
        assertEquals(unknown.body(), preferences.body());
        assertFalse(unknown.body().contains(forged));
        assertEquals(200, get("/u/" + real, BROWSER).status());
    }

    @Test
    void getNeverUnsubscribesOneClickPostWithoutCookieDoesAndTheNextStepIsNotSent() {
        long campaign = sendFirstEmail("oneclick", true);
        String token = token(campaign);
        long contact = jdbc.queryLong("SELECT contact_id FROM message WHERE id = ?", firstSent(campaign));

        for (int i = 0; i < 3; i++) {
            Api.Response page = get("/u/" + token, "Mozilla/5.0 (compatible; Barracuda link protection)");
            assertEquals(200, page.status());
            assertTrue(page.body().contains("<form"), "the page asks before it unsubscribes");
        }
        assertEquals("OPTED_IN", consent(contact));
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM consent_event WHERE contact_id = ? AND action = 'OPT_OUT'", contact));

        // What a mail client sends for RFC 8058: a bare form post, no cookie, no CSRF token.
        Api.Response done = api().send(HttpRequest.POST("/u/" + token, "List-Unsubscribe=One-Click")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE));
        assertEquals(200, done.status());
        assertEquals("OPTED_OUT", consent(contact));
        String evidence = jdbc.queryOne("SELECT source || ' | ' || evidence FROM consent_event WHERE contact_id = ? AND action = 'OPT_OUT'",
                rs -> rs.getString(1), contact).orElseThrow();
        assertTrue(evidence.contains("RFC 8058"), evidence);
        // Idempotent: a second one-click changes nothing more.
        api().send(HttpRequest.POST("/u/" + token, "List-Unsubscribe=One-Click").contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM consent_event WHERE contact_id = ? AND action = 'OPT_OUT'", contact));
        assertEquals(1, fixture.count("SELECT SUM(unsubscribed) FROM report_counter WHERE campaign_id = ?", campaign));

        fixture.clock().advance(Duration.ofDays(4));
        fixture.drain(dispatcher);
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", campaign));
        assertEquals(1, fixture.count("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SKIPPED'", campaign));
    }

    @Test
    void preferencesRefuseCrossSitePostsAndApplyTheRealForm() {
        long campaign = sendFirstEmail("prefs", false);
        String token = token(campaign);
        long contact = jdbc.queryLong("SELECT contact_id FROM message WHERE id = ?", firstSent(campaign));
        Api.Response page = get("/p/" + token, BROWSER);
        assertEquals(200, page.status());
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csrf.find(), "the form carries its token");
        String form = "csrf=" + csrf.group(1) + "&email=no&sms=yes&language=es&pause=0";

        assertEquals(403, postForm("/p/" + token, form, "Sec-Fetch-Site", "cross-site").status());
        assertEquals(403, postForm("/p/" + token, form, "Origin", "https://evil.example").status());
        assertEquals(403, postForm("/p/" + token, form.replace(csrf.group(1), "forged"), null, null).status());
        assertEquals("OPTED_IN", consent(contact));

        // A forwarded email link cannot sign the phone up for texts (or undo its STOP).
        jdbc.update("UPDATE contact SET sms_consent = 'OPTED_OUT' WHERE id = ?", contact);
        Api.Response saved = postForm("/p/" + token, form, "Sec-Fetch-Site", "same-origin");
        assertEquals(303, saved.status());
        assertEquals("OPTED_OUT", consent(contact));
        assertEquals("OPTED_OUT", jdbc.queryOne("SELECT sms_consent FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow());
        assertTrue(get("/p/" + token, BROWSER).body().contains("id=\"sms-hint\""), "the page says how to get texts back");
        assertEquals("es", jdbc.queryOne("SELECT locale FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow()
                .substring(0, 2));
        Api.Response spanish = get("/p/" + token, BROWSER);
        assertTrue(spanish.body().contains("lang=\"es\""), "the page follows the chosen language");
    }

    @Test
    void opensAreNotRecordedInPrivacyMode() {
        long campaign = sendFirstEmail("opens", false);
        String html = jdbc.queryOne("SELECT html_body FROM captured_message WHERE message_id = (SELECT id FROM message WHERE campaign_id = ?)",
                rs -> rs.getString(1), campaign).orElseThrow();
        assertFalse(html.contains("/o/"), "no pixel in the email");
        assertEquals(404, get("/o/" + token(campaign) + ".gif", BROWSER).status());
        assertNull(jdbc.queryOne("SELECT opened_at FROM message WHERE campaign_id = ?", rs -> rs.getTimestamp(1), campaign).orElse(null));
        Matcher link = CLICK_LINK.matcher(html);
        assertTrue(link.find(), "links in the email are tracked redirects");
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        long campaign = sendFirstEmail("bigbody", false);
        String token = token(campaign);
        String big = "List-Unsubscribe=One-Click&pad=" + "x".repeat(100_000);
        for (String path : List.of("/u/" + token, "/webhooks/sms/inbound", "/webhooks/bookings", "/login")) {
            Api.Response r = api().send(HttpRequest.POST(path, big).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE));
            assertEquals(413, r.status(), path);
        }
        long contact = jdbc.queryLong("SELECT contact_id FROM message WHERE id = ?", firstSent(campaign));
        assertEquals("OPTED_IN", consent(contact), "the oversized one-click did nothing");
    }

    private Api.Response postForm(String path, String body, String header, String value) {
        var request = HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE).header("User-Agent", BROWSER);
        if (header != null) {
            request.header(header, value);
        }
        return api().send(request);
    }

    private String consent(long contact) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }
}
