package health.outreach.tracking;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.Accessibility;
import health.outreach.support.Chromium;
import health.outreach.support.DeliveryFixture;
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

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a community member does from an email, in a real browser: unsubscribe with the page's
 * button, change preferences, request a consultation. Each form posts as Chromium posts it (its
 * own Origin and Sec-Fetch headers), which an HTTP client in a test does not imitate.
 */
@Tag("browser")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublicPagesBrowserTest {

    @Inject
    EmbeddedServer server;

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
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aRecipientUnsubscribesChangesPreferencesAndRequestsAConsultation() {
        fixture.daytime();
        List<Long> contacts = fixture.contacts("PUBLICBROWSER", 3, "America/Chicago");
        long clinic = jdbc.insert("INSERT INTO clinic (code, name, time_zone, created_at) VALUES ('north', 'North Spine Clinic', "
                + "'America/Chicago', ?)", Instant.now());
        fixture.launch(fixture.segment("PUBLICBROWSER"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(3, fixture.drain(dispatcher));

        browser.get(url("/u/" + token(contacts.get(0))));
        Accessibility.check(browser, "unsubscribe");
        Chromium.shoot(browser, "public-unsubscribe");
        Chromium.follow(browser, By.cssSelector("form button"));
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains("You are unsubscribed"), browser.getPageSource());
        assertEquals("OPTED_OUT", consent(contacts.get(0)));

        browser.get(url("/p/" + token(contacts.get(1))));
        Accessibility.check(browser, "preferences");
        Chromium.shoot(browser, "public-preferences");
        browser.findElement(By.cssSelector("input[name=language][value=es]")).click();
        Chromium.follow(browser, By.cssSelector("form button"));
        assertTrue(browser.getCurrentUrl().endsWith("?saved=1"), browser.getCurrentUrl());
        assertEquals("es", jdbc.queryOne("SELECT locale FROM contact WHERE id = ?", rs -> rs.getString(1), contacts.get(1))
                .orElseThrow().substring(0, 2));

        browser.get(url("/book/" + token(contacts.get(2))));
        Accessibility.check(browser, "booking");
        browser.manage().window().setSize(new Dimension(390, 844)); // a phone
        try {
            browser.navigate().refresh();
            assertFalse(Accessibility.scrollsSideways(browser), "the booking page fits a 390 px screen");
            Chromium.shoot(browser, "public-booking-390");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
        browser.findElement(By.id("times")).sendKeys("Weekday mornings");
        Chromium.follow(browser, By.cssSelector("form button"));
        assertTrue(browser.getPageSource().contains("Request sent"), browser.getPageSource());
        Accessibility.check(browser, "booking sent");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM booking WHERE contact_id = ? AND clinic_id = ?", contacts.get(2), clinic));
    }

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private String token(long contact) {
        return fixture.tokenOf("SELECT id FROM message WHERE contact_id = ?", contact);
    }

    private String consent(long contact) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
    }
}
