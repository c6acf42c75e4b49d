package health.outreach.channel.email;

import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our encoder's output decodes, with Jakarta Mail's decoder, to the input, and keeps RFC 2045's line rules. */
class QuotedPrintableTest {

    @Test
    void encodesWhatMustBeEncodedAndNothingElse() {
        assertEquals("a=3Db caf=C3=A9\r\nnext=09\r\nend=20", encode("a=b café\nnext\t\r\nend "));
        assertEquals("lone=0Dcr", encode("lone\rcr"));
        assertEquals("<p class=3D\"x\">Hi</p>", encode("<p class=\"x\">Hi</p>"));
    }

    @Test
    void longLinesAreSoftBrokenWithinSeventySixCharacters() {
        String encoded = encode("ñ".repeat(200) + " " + "x".repeat(300));
        for (String line : encoded.split("\r\n")) {
            assertTrue(line.length() <= 76, line.length() + ": " + line);
        }
    }

    @Test
    void randomTextRoundTrips() throws Exception {
        Random random = new Random(42);
        String alphabet = "abc XYZ=.\t\r\n\u00e9\u00f1\u2014\u00a0<>\"&";
        for (int run = 0; run < 200; run++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(400);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = text.toString().replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
            byte[] encoded = QuotedPrintable.encode(input.getBytes(StandardCharsets.UTF_8));
            byte[] decoded = MimeUtility.decode(new ByteArrayInputStream(encoded), "quoted-printable").readAllBytes();
            assertArrayEquals(input.getBytes(StandardCharsets.UTF_8), decoded, "input: " + input);
        }
    }

    private static String encode(String s) {
        return new String(QuotedPrintable.encode(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }
}
