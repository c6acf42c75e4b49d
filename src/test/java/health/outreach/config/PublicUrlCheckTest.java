package health.outreach.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicUrlCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://outreach.example.org", "http://localhost:8080", "http://127.0.0.1:8080/",
            "http://[::1]:8080", "HTTPS://Outreach.Example.org/"})
    void httpsAndLoopbackPassQuietly(String url) {
        assertFalse(PublicUrlCheck.warning(url).isPresent(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://outreach.example.org", "http://10.0.0.5:8080", "http://localhost.example.org",
            "ftp://outreach.example.org", "not a url"})
    void anythingElseIsWarnedAbout(String url) {
        assertTrue(PublicUrlCheck.warning(url).isPresent(), url);
    }
}
