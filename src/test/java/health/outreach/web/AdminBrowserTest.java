package health.outreach.web;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator's path through the admin UI in headless Chromium: sign in, build a campaign from a
 * segment and a template, schedule it, watch it send, read its report and the captured email, sign
 * out. Run with {@code mvn verify -Pbrowser}.
 */
@Tag("browser")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminBrowserTest {

    @Inject
    EmbeddedServer server;

    @Inject
    DeliveryFixture fixture;

    @Inject
    CampaignLauncher launcher;

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

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    @Test
    void aCoordinatorBuildsSchedulesAndFollowsACampaign() {
        fixture.contacts("BROWSER1", 3, "America/Chicago");
        long segment = fixture.segment("BROWSER1");
        long template = fixture.emailTemplate();

        browser.get(url("/admin/campaigns"));
        assertTrue(browser.getCurrentUrl().contains("/login?next="), "sent to sign in: " + browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin-test-password");
        Chromium.follow(browser, By.cssSelector("form[action='/login'] button"));
        assertTrue(browser.getCurrentUrl().endsWith("/admin/campaigns"), "and back: " + browser.getCurrentUrl());

        Chromium.follow(browser, By.linkText("New campaign"));
        browser.findElement(By.id("name")).sendKeys("Back pain awareness, browser");
        new Select(browser.findElement(By.id("segmentId"))).selectByValue(Long.toString(segment));
        new Select(browser.findElement(By.id("step.0.templateId"))).selectByValue(Long.toString(template));
        Chromium.follow(browser, By.xpath("//button[text()='Save as draft']"));
        assertEquals("Saved.", notice());
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/admin/campaigns/(\\d+).*", "$1"));

        Chromium.follow(browser, By.linkText("Schedule…"));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("as soon as you confirm"), "the confirmation says when");
        Chromium.shoot(browser, "campaign-confirm-schedule");
        Chromium.follow(browser, By.xpath("//button[text()='Yes, schedule']"));
        assertTrue(notice().startsWith("Scheduled"));
        assertEquals("scheduled", browser.findElement(By.cssSelector("h1 .badge")).getText());

        launcher.launch(id); // Quartz's launch trigger, fired by hand: the scheduler is off in tests
        assertEquals(3, fixture.drain(dispatcher));
        browser.navigate().refresh();
        assertEquals("running", browser.findElement(By.cssSelector("h1 .badge")).getText());
        assertTrue(statValue("sent").equals("3"), "progress shows 3 sent");
        Chromium.shoot(browser, "campaign-running");

        Chromium.follow(browser, By.linkText("Conversion report"));
        assertEquals("3", statValue("sent"));
        assertTrue(browser.findElement(By.cssSelector("figure.chart svg")).isDisplayed(), "the funnel chart shows");
        Chromium.shoot(browser, "campaign-report");

        Chromium.follow(browser, By.linkText("Mailbox"));
        Chromium.follow(browser, browser.findElements(By.cssSelector("table a")).get(0));
        WebElement frame = browser.findElement(By.cssSelector("iframe[sandbox]"));
        browser.switchTo().frame(frame);
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(  // the frame loads after its page
                ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Hi Pat"));
        browser.switchTo().defaultContent();

        Chromium.follow(browser, By.xpath("//button[text()='Sign out']"));
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        browser.get(url("/admin"));
        assertTrue(browser.getCurrentUrl().contains("/login?next="), "signed out for real");
        assertEquals(3, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", id));
    }

    /** The page's notice after a redirect; fails with what the page says instead when it has none. */
    private String notice() {
        return browser.findElements(By.cssSelector(".notice")).stream().findFirst().map(WebElement::getText)
                .orElseThrow(() -> new AssertionError("no notice on " + browser.getCurrentUrl() + ": "
                        + browser.findElement(By.tagName("body")).getText()));
    }

    /** The number in the dashboard-style stat box labelled {@code label}. */
    private String statValue(String label) {
        for (WebElement stat : browser.findElements(By.cssSelector(".stat"))) {
            String text = stat.getText();
            if (text.endsWith(label) || text.endsWith("\n" + label)) {
                return stat.findElement(By.tagName("b")).getText();
            }
        }
        throw new AssertionError("no '" + label + "' on " + browser.getCurrentUrl());
    }
}
