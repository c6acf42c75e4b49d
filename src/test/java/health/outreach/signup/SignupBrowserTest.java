package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Accessibility;
import health.outreach.support.Api;
import health.outreach.support.Chromium;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person signs up on a phone, in Chromium: the form at 390 px, then the confirmation link from the
 * email, each page checked by axe. Run with {@code mvn verify -Pbrowser}.
 */
@Tag("browser")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignupBrowserTest {

    private static final Pattern CONFIRM_LINK = Pattern.compile("(/join/confirm/[A-Za-z0-9_-]+)");

    @Inject
    EmbeddedServer server;

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    private WebDriver browser;

    @BeforeAll
    void openBrowser() {
        browser = Chromium.start();
        browser.manage().window().setSize(new Dimension(390, 844));
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonSignsUpOnAPhoneAndConfirmsFromTheEmail() {
        fixture.daytime();
        String tag = "SUB" + UUID.randomUUID().toString().substring(0, 6);
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        String key = "clinic-" + tag.toLowerCase();
        Api api = new Api(client);
        assertEquals(201, api.post("/api/v1/forms", SignupTestSupport.formBody(key, campaign, Map.of()),
                users.token(api, Role.COORDINATOR)).status());

        browser.get(url("/join/" + key));
        assertFalse(Accessibility.scrollsSideways(browser), "the form fits a 390 px screen");
        Accessibility.check(browser, "sign-up form");
        Chromium.shoot(browser, "public-join-390");
        Chromium.follow(browser, By.cssSelector("form button[type=submit]"));
        assertTrue(browser.findElement(By.id("channels-error")).isDisplayed(), "an empty form is refused at its field");
        assertEquals("channels-error", browser.findElement(By.cssSelector("fieldset[aria-describedby]")).getAttribute("aria-describedby"));
        Accessibility.check(browser, "sign-up form with errors");
        Chromium.shoot(browser, "public-join-errors");

        String email = "rosa." + key + "@example.org";
        browser.findElement(By.id("firstName")).sendKeys("Rosa");
        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("channel-first")).click();
        Chromium.follow(browser, By.cssSelector("form button[type=submit]"));
        Accessibility.check(browser, "sign-up sent");
        assertEquals("PENDING", consent(email));

        fixture.drain(dispatcher);
        String body = jdbc.queryOne("SELECT text_body FROM captured_message WHERE recipient = ? ORDER BY id DESC LIMIT 1",
                rs -> rs.getString(1), email).orElseThrow(() -> new AssertionError("no confirmation email to " + email));
        Matcher link = CONFIRM_LINK.matcher(body);
        assertTrue(link.find(), body);
        browser.get(url(link.group(1)));
        assertEquals("PENDING", consent(email), "opening the link confirms nothing");
        Accessibility.check(browser, "confirm page");
        Chromium.shoot(browser, "public-join-confirm");
        Chromium.follow(browser, By.cssSelector("form button[type=submit]"));
        assertEquals("OPTED_IN", consent(email));
        Accessibility.check(browser, "confirmed");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM consent_event e JOIN contact c ON c.id = e.contact_id WHERE c.email = ? "
                + "AND e.action = 'CONFIRM' AND e.wording LIKE ?", email, "Email me spine tips (" + key + ")%"), "the ledger holds the words agreed to");
        fixture.drain(dispatcher);
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM captured_message m JOIN message o ON o.id = m.message_id "
                + "WHERE m.recipient = ? AND o.campaign_id = ?", email, campaign), "the welcome campaign's first message went out");
    }

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private String consent(String email) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE email = ?", rs -> rs.getString(1), email).orElse("none");
    }
}
