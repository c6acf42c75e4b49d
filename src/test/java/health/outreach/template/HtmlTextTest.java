package health.outreach.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HtmlTextTest {

    @Test
    void typicalEmail() {
        String html = """
                <!DOCTYPE html>
                <html>
                <head>
                  <title>Flu clinic</title>
                  <style>p { color: #333; } .preheader { display: none; }</style>
                </head>
                <body>
                  <div class="preheader" style="display: none; max-height: 0; overflow: hidden;">
                    Free flu shots this Saturday&nbsp;&zwnj;&nbsp;&zwnj;
                  </div>
                  <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
                    <tr>
                      <td><img src="https://cdn.example.org/logo.png" alt="County Health"></td>
                      <td><img src="https://cdn.example.org/spacer.gif" alt="" width="1"></td>
                    </tr>
                    <tr>
                      <td>
                        <h1>Flu shots   are
                            here</h1>
                        <p>Hello Maria,</p>
                        <p>Free flu shots at the
                           <a href="https://health.example.org/clinics/main">Main Street clinic</a>
                           this Saturday.<br>No appointment&nbsp;needed.</p>
                        <ul>
                          <li>Bring your insurance card</li>
                          <li>Wear a <b>short-sleeved</b> shirt</li>
                        </ul>
                        <p>Questions? Visit <a href="https://health.example.org">https://health.example.org</a>
                           or <a href="#">reply to this email</a>.</p>
                      </td>
                    </tr>
                  </table>
                  <p aria-hidden="true">decorative</p>
                  <div hidden>not shown</div>
                  <img src="https://track.example.org/open.gif" width="1" height="1">
                </body>
                </html>
                """;
        String expected = """
                County Health

                Flu shots are here

                Hello Maria,

                Free flu shots at the Main Street clinic (https://health.example.org/clinics/main) this Saturday.
                No appointment needed.

                - Bring your insurance card
                - Wear a short-sleeved shirt

                Questions? Visit https://health.example.org or reply to this email.""";
        assertEquals(expected, HtmlText.toPlainText(html));
    }

    @Test
    void scriptIsDroppedAndEscapedMarkupStaysLiteral() {
        String html = "<p>Hi</p><script>alert(1)</script><p>&lt;b&gt;</p>"
                + "<img src=x onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">click</a>";
        String text = HtmlText.toPlainText(html);
        assertEquals("Hi\n\n<b>\n\nclick", text);
        assertFalse(text.contains("alert"));
    }

    @Test
    void nullAndBlankGiveEmptyText() {
        assertEquals("", HtmlText.toPlainText(null));
        assertEquals("", HtmlText.toPlainText(" \n "));
        assertEquals("", HtmlText.toPlainText("<div style=\"DISPLAY:NONE\">preheader</div>"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // links
            "<a href=\"https://a.org\">Clinic</a>|Clinic (https://a.org)",
            "<a href=\"https://a.org\">https://a.org</a>|https://a.org",
            "<a href=\"\">Clinic</a>|Clinic",
            "<a>Clinic</a>|Clinic",
            "<a href=\"mailto:flu@a.org\">flu@a.org</a>|flu@a.org",
            "<a href=\"https://a.org\"><img src=\"l.png\" alt=\"\"></a>|https://a.org",
            "<a href=\"https://a.org\"><img src=\"l.png\" alt=\"Logo\"></a>|Logo (https://a.org)",
            // whitespace, entities and line breaks
            "`<p>  one \n  two&nbsp;&nbsp;three </p>`|one two three",
            "<p>a<br>b<br><br>c<br><br><br><br>d</p>|`a\nb\n\nc\n\nd`",
            "<div>one</div><div>two</div>|`one\ntwo`",
            "<h2>Title</h2>Body text|`Title\n\nBody text`",
            "<p>one</p><p></p><p></p><p>two</p>|`one\n\ntwo`",
            "<blockquote>quote</blockquote>after|`quote\nafter`",
            // images and inline elements
            "Hello<img src=\"x.png\" alt=\"wave\">there|Hello wave there",
            "<b>bold</b><i>italic</i>|bolditalic",
            // lists and tables
            "<ul><li>one<ul><li>nested</li></ul></li><li></li><li><p>para</p></li></ul>|`- one\n- nested\n- para`",
            "<table><tr><td>Date</td><td>Place</td></tr><tr><td>May 1</td><td>Main St</td></tr></table>"
                    + "|`Date Place\nMay 1 Main St`",
            // hidden in its several forms
            "<span hidden>x</span>shown<span style=\"display : none !important\">y</span>|shown",
            "<div aria-hidden=\"TRUE\">x</div><div aria-hidden=\"false\">shown</div>|shown"})
    void rules(String html, String expected) {
        assertEquals(expected, HtmlText.toPlainText(html));
    }
}
