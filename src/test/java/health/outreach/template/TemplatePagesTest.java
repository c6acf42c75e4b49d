package health.outreach.template;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentState;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator writes, fixes, versions, previews and archives templates in the admin pages; a manager only reads. */
@MicronautTest(transactional = false)
class TemplatePagesTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Jdbc jdbc;

    private PageSession as(Role role) {
        return users.page(client, role);
    }

    @Test
    void aCoordinatorCreatesAnSmsTemplateThenSavesASecondVersion() {
        PageSession coordinator = as(Role.COORDINATOR);
        Api.Response blank = coordinator.get("/admin/templates/new?channel=SMS");
        assertEquals(200, blank.status());
        assertTrue(blank.body().contains("name=\"variant.0.sms\""), "an SMS form has the SMS part");
        assertFalse(blank.body().contains("name=\"variant.0.html\""), "and no email parts");

        String name = "Flu reminder " + UUID.randomUUID();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("channel", "SMS");
        form.put("purpose", "REMINDER");
        form.put("attributes", "");
        form.put("variant.0.locale", "en");
        form.put("variant.0.sms", "Hi ${contact.firstName}, your flu shot is due. Reply STOP to opt out.");
        Api.Response added = coordinator.post("/admin/templates", with(form, "addVariant", "1"));
        assertEquals(200, added.status());
        assertTrue(added.body().contains("name=\"variant.1.locale\""), "a second language to fill in");
        assertTrue(added.body().contains("your flu shot is due"), "the first one kept as typed");

        Api.Response created = coordinator.post("/admin/templates", with(form, "variant.1.locale", ""));
        assertEquals(303, created.status(), created.body());
        String location = created.header("Location");
        assertTrue(location.matches("/admin/templates/\\d+\\?notice=created"), location);
        long id = Long.parseLong(location.replaceAll("\\D+(\\d+)\\D.*", "$1"));
        assertEquals(1, versions(id), "the blank language row was not saved as a variant");

        Api.Response page = coordinator.get(location);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Saved."));
        assertTrue(page.body().contains("<pre>Hi ${contact.firstName}, your flu shot is due."), "the source as written");
        assertTrue(page.body().contains("SMS: 1 segment,"), page.body());
        assertTrue(page.body().contains("GSM7"));

        Api.Response edit = coordinator.get("/admin/templates/" + id + "/edit");
        assertEquals(200, edit.status());
        assertTrue(edit.body().contains("your flu shot is due"), "the form starts from the current version");
        assertFalse(edit.body().contains("name=\"channel\""), "the channel is fixed once created");
        Map<String, String> v2 = new LinkedHashMap<>();
        v2.put("name", name);
        v2.put("purpose", "REMINDER");
        v2.put("variant.0.locale", "en");
        v2.put("variant.0.sms", "Hi ${contact.firstName}, book your flu shot today.\r\nReply STOP to opt out.");
        v2.put("variant.1.locale", "es");
        v2.put("variant.1.sms", "Hola ${contact.firstName}, reserve su vacuna hoy. Responda STOP para no recibir más.");
        Api.Response saved = coordinator.post("/admin/templates/" + id, v2);
        assertEquals(303, saved.status(), saved.body());
        assertEquals("/admin/templates/" + id + "?notice=version", saved.header("Location"));
        assertEquals(2, versions(id));
        assertEquals(2, jdbc.queryLong("SELECT current_version FROM template WHERE id = ?", id));
        String stored = jdbc.queryOne("SELECT v.sms_body FROM template_variant v JOIN template_version t ON t.id = v.template_version_id "
                + "WHERE t.template_id = ? AND t.version = 2 AND v.locale = 'en'", rs -> rs.getString(1), id).orElseThrow();
        assertFalse(stored.contains("\r"), "a browser's CRLF is stored as LF, not as extra SMS characters");

        Api.Response current = coordinator.get(saved.header("Location"));
        assertTrue(current.body().contains("Saved as a new version."));
        assertTrue(current.body().contains("Language: es"));
        assertTrue(current.body().contains("href=\"/admin/templates/" + id + "?version=1\""), "a link to version 1");
        Api.Response first = coordinator.get("/admin/templates/" + id + "?version=1");
        assertEquals(200, first.status());
        assertTrue(first.body().contains("your flu shot is due"));
        assertFalse(first.body().contains("book your flu shot today"), "version 1 is unchanged");
        assertTrue(first.body().contains("/admin/templates/" + id + "/edit?version=1"), "an old version can be brought back");
    }

    @Test
    void aForbiddenConstructIsRefusedWithEveryErrorAndNothingIsSaved() {
        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/templates/new");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", "Sneaky " + UUID.randomUUID());
        form.put("channel", "EMAIL");
        form.put("purpose", "A PURPOSE LONGER THAN SIXTEEN");
        form.put("variant.0.locale", "en");
        form.put("variant.0.subject", "${\"freemarker.template.utility.Execute\"?new()(\"id\")}");
        form.put("variant.0.html", "<#include \"/etc/passwd\">");
        form.put("variant.0.text", "${\"${'7*7'?eval}\"} ${unsubscribe_url}");
        long before = jdbc.queryLong("SELECT COUNT(*) FROM template_version");
        Api.Response refused = coordinator.post("/admin/templates", form);
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.contentType().startsWith("text/html"));
        assertTrue(refused.body().contains("<b>purpose</b>"), "the form's own constraint is named");
        form.put("purpose", "");
        refused = coordinator.post("/admin/templates", form);
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("<b>variants[0].subject</b>"), refused.body());
        assertTrue(refused.body().contains("<b>variants[0].html</b>"), "every error at once");
        assertTrue(refused.body().contains("<b>variants[0].text</b>: ?eval is not allowed"), "also inside a string literal");
        assertTrue(refused.body().contains("&lt;#include &quot;/etc/passwd&quot;&gt;</textarea>"), "the typed text comes back, escaped");
        assertFalse(refused.body().contains("root:"), "nothing was read from the file");
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM template_version"), "nothing saved");

        long id = fixture.emailTemplate();
        Map<String, String> edit = new LinkedHashMap<>(form);
        edit.remove("channel");
        Api.Response refusedEdit = coordinator.post("/admin/templates/" + id, edit);
        assertEquals(422, refusedEdit.status(), refusedEdit.body());
        assertTrue(refusedEdit.body().contains("<b>variants[0].html</b>"));
        assertEquals(1, versions(id), "no second version");

        String taken = jdbc.queryOne("SELECT name FROM template WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
        Api.Response duplicate = coordinator.post("/admin/templates", Map.of("name", taken, "channel", "SMS",
                "variant.0.locale", "en", "variant.0.sms", "Hello"));
        assertEquals(422, duplicate.status(), "a name in use is a field to fix, with the form kept");
        assertTrue(duplicate.body().contains("<b>name</b>: A template named"), duplicate.body());
    }

    @Test
    void thePreviewRendersForARealContactAndFramesTheHtmlInASandbox() {
        long id = fixture.emailTemplate();
        long contact = fixture.contact("TPLPREV", "pat.preview@example.org", null, "America/Chicago",
                ConsentState.OPTED_IN, ConsentState.OPTED_IN);
        PageSession coordinator = as(Role.COORDINATOR);
        Api.Response page = coordinator.get("/admin/templates/" + id + "/preview?contactId=" + contact);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("<b>Hello Pat</b>"), "the contact's name in the subject");
        assertTrue(page.body().contains("<pre>Hi Pat, read https://example.org/spine"), "and in the text part");
        assertTrue(page.body().contains("<li>https://example.org/spine</li>"), "the links");
        String frame = "/admin/templates/" + id + "/preview/frame?contactId=" + contact + "&version=1";
        assertTrue(page.body().contains("<iframe sandbox=\"allow-popups allow-popups-to-escape-sandbox\" src=\""
                + frame.replace("&", "&amp;") + "\""), page.body());
        assertTrue(page.header("Content-Security-Policy").contains("frame-src 'self'"));

        Api.Response html = coordinator.get(frame);
        assertEquals(200, html.status(), html.body());
        assertTrue(html.body().contains("<p>Hi Pat, read <a href=\"https://example.org/spine\">"), html.body());
        assertEquals("default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; "
                + "sandbox allow-popups allow-popups-to-escape-sandbox", html.header("Content-Security-Policy"));
        assertTrue(html.body().contains("<base target=\"_blank\">"), "links open a new tab, out of the sandbox");
        assertEquals(List.of("SAMEORIGIN"), html.raw().getHeaders().getAll("X-Frame-Options"), "one header, and not DENY");

        Api.Response sample = coordinator.get("/admin/templates/" + id + "/preview?locale=en");
        assertTrue(sample.body().contains("<b>Hello Alexandria</b>"), "sample data without a contact");

        Api.Response missing = coordinator.get("/admin/templates/" + id + "/preview?contactId=987654321");
        assertEquals(404, missing.status());
        assertTrue(missing.contentType().startsWith("text/html") && missing.body().contains("Contact 987654321 does not exist"));
        for (String bad : new String[]{"?version=two", "?contactId=x", "?version=99", "?locale=" + "x".repeat(40), "?locale=not_a_tag!"}) {
            int status = coordinator.get("/admin/templates/" + id + "/preview" + bad).status();
            assertTrue(status >= 400 && status < 500, bad + " answered " + status);
            status = coordinator.get("/admin/templates/" + id + "/preview/frame" + bad).status();
            assertTrue(status >= 400 && status < 500, "frame " + bad + " answered " + status);
        }
        for (String bad : new String[]{"/admin/templates/987654", "/admin/templates/abc", "/admin/templates/" + id + "?version=-1",
                "/admin/templates/" + id + "/edit?version=zz", "/admin/templates/987654/preview/frame"}) {
            int status = coordinator.get(bad).status();
            assertTrue(status >= 400 && status < 500, bad + " answered " + status);
        }
    }

    @Test
    void theTemplatePageWarnsAboutHardReadingWithTheSentencesToRewrite() {
        long id = fixture.smsTemplate("Comprehensive musculoskeletal rehabilitation necessitates individualized "
                + "physiotherapeutic interventions. Call us.");
        Api.Response page = as(Role.MANAGER).get("/admin/templates/" + id);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("is above 8. Hardest sentences: &quot;Comprehensive musculoskeletal"), page.body());
        assertTrue(page.body().contains("class=\"warning\""));
    }

    @Test
    void aManagerReadsButCannotChangeAndAFormWithoutItsTokenChangesNothing() {
        long id = fixture.emailTemplate();
        PageSession manager = as(Role.MANAGER);
        Api.Response list = manager.get("/admin/templates");
        assertEquals(200, list.status());
        assertFalse(list.body().contains("/admin/templates/new"), "no button a manager may not use");
        Api.Response page = manager.get("/admin/templates/" + id);
        assertEquals(200, page.status());
        assertFalse(page.body().contains("/edit"));
        assertFalse(page.body().contains("/archive"));
        assertEquals(200, manager.get("/admin/templates/" + id + "/preview").status());
        assertEquals(200, manager.get("/admin/templates/" + id + "/preview/frame").status());
        assertEquals(403, manager.get("/admin/templates/new").status());
        assertEquals(403, manager.get("/admin/templates/" + id + "/edit").status());
        long before = jdbc.queryLong("SELECT COUNT(*) FROM template_version");
        assertEquals(403, manager.post("/admin/templates", Map.of("name", "m " + UUID.randomUUID(), "channel", "SMS",
                "variant.0.locale", "en", "variant.0.sms", "Hello")).status());
        assertEquals(403, manager.post("/admin/templates/" + id, Map.of("name", "renamed", "variant.0.locale", "en",
                "variant.0.subject", "x", "variant.0.html", "${unsubscribe_url}")).status());
        assertEquals(403, manager.post("/admin/templates/" + id + "/archive", Map.of()).status());
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM template_version"));

        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/templates/" + id);
        Map<String, String> v2 = Map.of("name", "renamed " + UUID.randomUUID(), "variant.0.locale", "en",
                "variant.0.subject", "Hi", "variant.0.html", "<p>Hi</p>${unsubscribe_url}");
        assertEquals(403, coordinator.submit("/admin/templates/" + id, v2).status(), "no token");
        assertEquals(403, coordinator.submit("/admin/templates/" + id, with(v2, "_csrf", "x" + coordinator.csrf())).status());
        assertEquals(403, coordinator.submit("/admin/templates/" + id + "/archive", Map.of("_csrf", "forged")).status());
        assertEquals(403, coordinator.submit("/admin/templates", with(v2, "channel", "EMAIL")).status());
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM template_version"), "no version from a forged form");
        assertFalse(archived(id));

        long used = fixture.emailTemplate();
        fixture.create(fixture.segment("TPLARCH"), 0, DeliveryFixture.now(Channel.EMAIL, used));
        Api.Response inUse = coordinator.post("/admin/templates/" + used + "/archive", Map.of("confirmed", "yes"));
        assertEquals(409, inUse.status(), "a template a draft campaign uses stays");
        assertTrue(inUse.body().contains("used by 1 step(s)"), inUse.body());
        Api.Response unconfirmed = coordinator.post("/admin/templates/" + id + "/archive", Map.of());
        assertEquals("/admin/templates/" + id + "/archive", unconfirmed.header("Location"), "asked first");
        assertFalse(archived(id));
        assertTrue(coordinator.get("/admin/templates/" + id + "/archive").body().contains("Yes, archive"), "the confirm page");
        Api.Response archivedPage = coordinator.post("/admin/templates/" + id + "/archive", Map.of("confirmed", "yes"));
        assertEquals(303, archivedPage.status(), archivedPage.body());
        assertEquals("/admin/templates/" + id + "?notice=archived", archivedPage.header("Location"));
        assertTrue(archived(id));
        assertTrue(coordinator.get("/admin/templates/" + id + "?notice=archived").body().contains("Archived: its versions stay readable"));
    }

    @Test
    void aNameIsEscapedWhereverItIsShown() {
        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/templates/new");
        String name = "<script>alert(1)</script> " + UUID.randomUUID();
        Api.Response created = coordinator.post("/admin/templates", Map.of("name", name, "channel", "SMS",
                "variant.0.locale", "en", "variant.0.sms", "Hello"));
        assertEquals(303, created.status(), created.body());
        Api.Response list = coordinator.get("/admin/templates");
        assertTrue(list.body().contains("&lt;script&gt;alert(1)&lt;/script&gt; "), "escaped in the list");
        assertFalse(list.body().contains("<script>"), "never as markup");
        assertFalse(coordinator.get(created.header("Location")).body().contains("<script>"), "nor on its page");
    }

    private long versions(long templateId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM template_version WHERE template_id = ?", templateId);
    }

    private boolean archived(long templateId) {
        return jdbc.queryOne("SELECT archived FROM template WHERE id = ?", rs -> rs.getBoolean(1), templateId).orElseThrow();
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(form);
        copy.put(key, value);
        return copy;
    }
}
