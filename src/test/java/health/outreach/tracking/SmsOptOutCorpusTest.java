package health.outreach.tracking;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMS opt-out corpus (src/test/resources/sms-optout): real-world ways of saying stop, in
 * English and Spanish, that must revoke consent; replies that must not; and messages that are only
 * about stopping, which get one reply saying how. Each line is its own test, named by file and line.
 */
class SmsOptOutCorpusTest {

    /** One message of the corpus, named so that a failure says which line to look at. */
    record Line(String file, int number, String text) {
        @Override
        public String toString() {
            return file + ":" + number + " «" + text + "»";
        }
    }

    static List<Line> optOuts() {
        return read("opt-out.txt", 200);
    }

    static List<Line> mustNot() {
        return read("must-not.txt", 50);
    }

    static List<Line> ambiguous() {
        return read("ambiguous.txt", 20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optOuts")
    void revokesConsent(Line line) {
        assertEquals(SmsKeywords.Intent.OPT_OUT, SmsKeywords.classify(line.text()), line.toString());
    }

    /** Neither an opt-out nor a question worth answering with how to stop: the reply is kept, nothing is sent. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mustNot")
    void doesNotOptOut(Line line) {
        SmsKeywords.Intent intent = SmsKeywords.classify(line.text());
        assertNotEquals(SmsKeywords.Intent.OPT_OUT, intent, line.toString());
        assertNotEquals(SmsKeywords.Intent.AMBIGUOUS, intent, line + " needs no clarifying reply");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguous")
    void asksWhetherTheyMeantToStop(Line line) {
        assertEquals(SmsKeywords.Intent.AMBIGUOUS, SmsKeywords.classify(line.text()), line.toString());
    }

    /** The file's messages: one a line, blank lines and "# " comments skipped; at least {@code atLeast} of them. */
    private static List<Line> read(String file, int atLeast) {
        List<Line> lines = new ArrayList<>();
        try (InputStream in = SmsOptOutCorpusTest.class.getResourceAsStream("/sms-optout/" + file)) {
            assertTrue(in != null, "the corpus file " + file + " is on the test classpath");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank() && !text.startsWith("# ")) {
                    lines.add(new Line(file, number, text));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(lines.size() >= atLeast, file + " holds " + lines.size() + " messages, fewer than " + atLeast);
        return lines;
    }
}
