package health.outreach.ops;

import health.outreach.support.Chromium;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Swagger UI under its Content-Security-Policy in headless Chromium: an administrator signed in to the
 * admin UI opens it, its scripts and styles load and it renders the API from the OpenAPI document.
 * Run with {@code mvn verify -Pbrowser}.
 */
@Tag("browser")
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocumentationBrowserTest {

    @Inject
    EmbeddedServer server;

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
    void anAdministratorReadsTheApiInSwaggerUi() {
        browser.get(url("/login?next=/admin"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin-test-password");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(url("/admin")));

        browser.get(url("/swagger-ui"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock")));
        assertTrue(browser.getPageSource().contains("/api/v1/contacts/import"), "the operations from the OpenAPI document");
        Object radius = ((JavascriptExecutor) browser).executeScript(
                "return getComputedStyle(document.querySelector('.opblock')).borderTopLeftRadius;");
        assertEquals("4px", radius, "Swagger UI's own stylesheet applies");
    }
}
