package health.outreach.web;

import health.outreach.campaign.CampaignLauncher;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aCoordinatorBuildsAThreeStepCampaignInFourPagesAndWatchesItSend() {
        fixture.contacts("BROWSER1", 3, "America/Chicago");
        long segment = fixture.segment("BROWSER1");
        long email = fixture.emailTemplate();
        long sms = fixture.smsTemplate("Back pain tips from ${program.name}");
        long followUp = fixture.emailTemplate();

        browser.get(url("/login"));
        browser.manage().deleteAllCookies(); // signed out, whichever test ran before
        browser.get(url("/admin/campaigns"));
        assertTrue(browser.getCurrentUrl().contains("/login?next="), "sent to sign in: " + browser.getCurrentUrl());
        signIn();
        assertTrue(browser.getCurrentUrl().endsWith("/admin/campaigns"), "and back: " + browser.getCurrentUrl());

        // Email at once, SMS 3 days later at 10:00, a follow-up a week later: counted as a coordinator works.
        int actions = 0;
        int pages = 0;
        Chromium.follow(browser, By.linkText("New campaign"));
        pages++;
        browser.findElement(By.id("name")).sendKeys("Back pain awareness, browser");
        actions++;
        new Select(browser.findElement(By.id("segmentId"))).selectByValue(Long.toString(segment));
        actions++;
        assertTrue(new Select(browser.findElement(By.id("segmentId"))).getFirstSelectedOption().getText().contains("(3 people)"),
                "the audience's size, before anything is saved");
        Chromium.follow(browser, By.xpath("//button[text()='Next: messages']"));
        actions++;
        pages++;
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/admin/campaigns/(\\d+)/steps", "$1"));
        assertFalse(browser.findElement(By.id("step.0.at")).isDisplayed(), "a step shows only the fields of its timing");
        new Select(browser.findElement(By.id("step.0.templateId"))).selectByValue(Long.toString(email));
        new Select(browser.findElement(By.id("step.1.templateId"))).selectByValue(Long.toString(sms));
        browser.findElement(By.id("step.1.delay")).sendKeys("3");
        new Select(browser.findElement(By.id("step.1.sendHour"))).selectByValue("10");
        new Select(browser.findElement(By.id("step.2.templateId"))).selectByValue(Long.toString(followUp));
        new Select(browser.findElement(By.id("step.2.delayUnit"))).selectByValue("weeks");
        browser.findElement(By.id("step.2.delay")).sendKeys("1");
        actions += 7;
        Chromium.shoot(browser, "campaign-builder-steps");
        Accessibility.check(browser, "campaign steps");
        Chromium.follow(browser, By.xpath("//button[text()='Next: review']"));
        actions++;
        pages++;
        Chromium.shoot(browser, "campaign-builder-review");
        String review = browser.findElement(By.tagName("main")).getText();
        assertTrue(review.contains("3 days after joining, at 10:00 in their day"), review);
        assertTrue(review.contains("1 week after joining"), review);
        assertTrue(review.contains("as soon as you schedule it"), review);
        Chromium.shoot(browser, "campaign-builder-review");
        Accessibility.check(browser, "campaign review");
        Chromium.follow(browser, By.xpath("//button[text()='Schedule it']"));
        actions++;
        pages++;
        assertTrue(actions <= 12, actions + " field actions");
        assertTrue(pages <= 4, pages + " pages");
        assertTrue(notice().startsWith("Scheduled"));
        assertEquals("scheduled", browser.findElement(By.cssSelector("h1 .badge")).getText());
        assertEquals(3, jdbc.queryLong("SELECT COUNT(*) FROM campaign_step WHERE campaign_id = ?", id));

        // The page follows the sending by itself: nothing here reloads it.
        launcher.launch(id); // Quartz's launch trigger, fired by hand: the scheduler is off in tests
        assertEquals(3, fixture.drain(dispatcher));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> statValueOrNull("sent") != null && statValueOrNull("sent").equals("3"));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("h1 .badge"), "running"));
        assertTrue(browser.findElement(By.id("step-progress-1")).getText().startsWith("Step 1: 3 sent"),
                browser.findElement(By.id("step-progress-1")).getText());
        Chromium.shoot(browser, "campaign-running");
        Accessibility.check(browser, "running campaign");

        Chromium.follow(browser, By.linkText("Conversion report"));
        assertEquals("3", statValue("sent"));
        assertTrue(browser.findElement(By.cssSelector("figure.chart svg")).isDisplayed(), "the funnel chart shows");
        Chromium.shoot(browser, "campaign-report");
        Accessibility.check(browser, "report");

        Chromium.follow(browser, By.linkText("Mailbox"));
        Chromium.follow(browser, browser.findElements(By.cssSelector("table a")).get(0));
        WebElement frame = browser.findElement(By.cssSelector("iframe[sandbox]"));
        browser.switchTo().frame(frame);
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(  // the frame loads after its page
                ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Hi Pat"));
        browser.switchTo().defaultContent();

        browser.get(url("/admin/campaigns/" + id));
        Chromium.follow(browser, By.linkText("Cancel…"));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("This cannot be undone"), "cancel asks first");
        Chromium.shoot(browser, "campaign-confirm-cancel");
        Accessibility.check(browser, "confirm cancel");
        Chromium.follow(browser, By.xpath("//button[text()='Yes, cancel']"));
        assertEquals("cancelled", browser.findElement(By.cssSelector("h1 .badge")).getText());

        Chromium.follow(browser, By.xpath("//button[text()='Sign out']"));
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        browser.get(url("/admin"));
        assertTrue(browser.getCurrentUrl().contains("/login?next="), "signed out for real");
        assertEquals(3, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND status = 'SENT'", id));
    }

    @Test
    void aTestSendArrivesMarkedAsATestAndIsNotCounted() {
        long template = fixture.emailTemplate();
        browser.get(url("/admin/templates/" + template + "/preview"));
        signInIfAsked();
        browser.findElement(By.id("to")).sendKeys("coordinator-test@example.org");
        Chromium.follow(browser, By.xpath("//button[text()='Send test']"));
        assertEquals("Test sent.", notice());
        browser.get(url("/admin/mailbox?to=coordinator-test"));
        String row = browser.findElement(By.cssSelector("table tbody tr")).getText();
        assertTrue(row.contains("coordinator-test@example.org") && row.contains("[Test]"), row);
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE contact_id IS NULL"), "no outbox row, so no report counts it");
    }

    /** Every admin page, in its ordinary state and with errors showing: axe finds no serious violation, and a screenshot is kept. */
    @Test
    void everyAdminPagePassesAnAccessibilityCheck() {
        fixture.contacts("BROWSERAXE", 2, "America/Chicago");
        long segment = fixture.segment("BROWSERAXE");
        long template = fixture.emailTemplate();
        long draft = fixture.create(segment, 0, DeliveryFixture.now(health.outreach.common.Channel.EMAIL, template));
        long contact = jdbc.queryLong("SELECT MIN(id) FROM contact WHERE postal_code = 'BROWSERAXE'");
        browser.get(url("/admin"));
        signInIfAsked();
        for (String path : java.util.List.of("/admin", "/admin/campaigns", "/admin/campaigns/new", "/admin/campaigns/" + draft,
                "/admin/campaigns/" + draft + "/steps", "/admin/campaigns/" + draft + "/review", "/admin/campaigns/calendar",
                "/admin/campaigns/" + draft + "/confirm/delete", "/admin/templates", "/admin/templates/new",
                "/admin/templates/" + template, "/admin/templates/" + template + "/preview?who=BROWSERAXE",
                "/admin/templates/" + template + "/archive", "/admin/contacts", "/admin/contacts/" + contact,
                "/admin/contacts/new", "/admin/contacts/import", "/admin/segments", "/admin/segments/new",
                "/admin/segments/" + segment, "/admin/regions", "/admin/forms", "/admin/forms/new", "/admin/mailbox", "/admin/users",
                "/admin/audit", "/admin/campaigns/" + draft + "/report")) {
            browser.get(url(path));
            assertFalse(browser.getCurrentUrl().contains("/login"), "signed in for " + path);
            Chromium.shoot(browser, "page" + path.replaceAll("[^a-zA-Z0-9]+", "-"));
            Accessibility.check(browser, path);
        }
        browser.get(url("/admin/campaigns/new"));
        Chromium.follow(browser, By.xpath("//button[text()='Next: messages']"));
        assertTrue(browser.findElement(By.id("error-summary")).getText().contains("Name: give the campaign a name"),
                browser.findElement(By.tagName("main")).getText());
        assertEquals("name-error", browser.findElement(By.id("name")).getAttribute("aria-describedby"), "the error is tied to its field");
        Chromium.shoot(browser, "campaign-builder-errors");
        Accessibility.check(browser, "campaign settings with errors");
        browser.findElement(By.cssSelector("a.skip")).sendKeys(""); // the skip link exists and takes focus
        assertEquals("#main", browser.findElement(By.cssSelector("a.skip")).getAttribute("href").replaceAll(".*(#main)$", "$1"));
    }

    private void signIn() {
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin-test-password");
        Chromium.follow(browser, By.cssSelector("form[action='/login'] button"));
    }

    private void signInIfAsked() {
        if (browser.getCurrentUrl().contains("/login")) {
            signIn();
        }
    }

    /** The page's notice after a redirect; fails with what the page says instead when it has none. */
    private String notice() {
        return browser.findElements(By.cssSelector(".notice")).stream().findFirst().map(WebElement::getText)
                .orElseThrow(() -> new AssertionError("no notice on " + browser.getCurrentUrl() + ": "
                        + browser.findElement(By.tagName("body")).getText()));
    }

    private String statValueOrNull(String label) {
        try {
            return statValue(label);
        } catch (AssertionError | org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
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
