package health.outreach.channel.email;

import health.outreach.common.Channel;
import health.outreach.delivery.OutgoingMessage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What an outgoing email looks like, and which ones are refused before they reach a relay. */
class EmailComposerTest {

    private final EmailComposer composer = new EmailComposer("Community Spine Health <outreach@outreach.example.org>", null);

    private static OutgoingMessage email(String to, String subject, String token) {
        return new OutgoingMessage(7, Channel.EMAIL, to, token, "hdr" + token, subject, "<p>Hi Ana</p>", "Hi Ana", null,
                "https://outreach.example.org/u/" + token);
    }

    @Test
    void everyEmailCarriesOurMessageIdAndBothUnsubscribeHeaders() {
        ComposedEmail composed = composer.compose(email(" ana@example.org ", "  Your spine  ", "tok123"));
        assertEquals("ana@example.org", composed.to());
        assertEquals("Community Spine Health <outreach@outreach.example.org>", composed.from());
        assertEquals("Your spine", composed.subject());
        assertEquals("<hdrtok123@outreach.example.org>", composed.messageId(), "the header id, never the action token");
        assertFalse(composed.messageId().contains("<tok123"));
        assertEquals(Map.of(
                "List-Unsubscribe", "<https://outreach.example.org/u/tok123>, "
                        + "<mailto:unsubscribe@outreach.example.org?subject=unsubscribe%20tok123>",
                "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), composed.headers());
        assertEquals("Hi Ana", composed.text());
        assertEquals("<p>Hi Ana</p>", composed.html());
    }

    @Test
    void noHeaderCanCarryALineBreakFromData() {
        String[] injected = {"Hi\r\nBcc: everyone@example.org", "Hi\nBcc: everyone@example.org", "Hi\rX: y", "Hi\0"};
        for (String subject : injected) {
            EmailComposer.InvalidEmail e = assertThrows(EmailComposer.InvalidEmail.class,
                    () -> composer.compose(email("ana@example.org", subject, "tok")));
            assertEquals("Subject contains a line break", e.getMessage());
        }
        assertEquals("To contains a line break", assertThrows(EmailComposer.InvalidEmail.class,
                () -> composer.compose(email("ana@example.org\r\nBcc: x@example.org", "s", "tok"))).getMessage());
        assertThrows(EmailComposer.InvalidEmail.class, () -> composer.compose(email("ana@example.org", "s", "tok\r\nX: 1")));
    }

    @Test
    void malformedMessagesAreRefusedWithAReason() {
        assertEquals("'not an address' is not a valid recipient", assertThrows(EmailComposer.InvalidEmail.class,
                () -> composer.compose(email("not an address", "s", "tok"))).getMessage());
        assertEquals("the subject is empty", assertThrows(EmailComposer.InvalidEmail.class,
                () -> composer.compose(email("ana@example.org", "   ", "tok"))).getMessage());
        OutgoingMessage noText = new OutgoingMessage(7, Channel.EMAIL, "ana@example.org", "tok", "hdr", "s", "<p>x</p>", null, null, "u");
        assertEquals("an email needs an HTML and a text part", assertThrows(EmailComposer.InvalidEmail.class,
                () -> composer.compose(noText)).getMessage());
    }
}
