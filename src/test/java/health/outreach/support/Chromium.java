package health.outreach.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Headless Chromium for the browser tests, from Debian's chromium and chromium-driver packages
 * (never a browser a test tool downloads). Each driver gets a fresh profile, and the flags keep
 * Chromium from calling home.
 */
public final class Chromium {

    private static final String BROWSER = System.getProperty("chromium.binary", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("chromium.driver", "/usr/bin/chromedriver");

    private Chromium() {
    }

    public static ChromeDriver start() {
        if (!new File(BROWSER).canExecute() || !new File(DRIVER).canExecute()) {
            throw new IllegalStateException("The browser tests need " + BROWSER + " and " + DRIVER
                    + ": apt-get install -y chromium chromium-driver (or run mvn verify without -Pbrowser)");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("outreach-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service(), options);
        } catch (org.openqa.selenium.SessionNotCreatedException e) {
            // A browser that fails to start (seen once in these tests, its cause not captured) gets one more try.
            driver = new ChromeDriver(service(), options);
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    private static ChromeDriverService service() {
        return new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    }

    /**
     * Clicks what leads to another page and waits until the browser has left this one: a click
     * returns before the next page has loaded, and a check made at once would read the old page.
     */
    public static void follow(WebDriver driver, By target) {
        follow(driver, driver.findElement(target));
    }

    public static void follow(WebDriver driver, WebElement target) {
        WebElement page = driver.findElement(By.tagName("html"));
        target.click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(page));
    }

    /**
     * Saves what the browser shows as target/screenshots/{name}.png, so a reviewer can look at every
     * page the browser tests visited (the whole page height, not only the window).
     */
    public static void shoot(WebDriver driver, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((org.openqa.selenium.TakesScreenshot) driver)
                    .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
