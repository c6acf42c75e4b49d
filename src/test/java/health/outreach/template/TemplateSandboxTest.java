package health.outreach.template;

import freemarker.template.Template;
import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-side template injection: each attempt is refused at save, and inert if it ever reached a render. */
@MicronautTest(transactional = false)
class TemplateSandboxTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    TemplateRenderer renderer;

    @Inject
    TemplateValidator validator;

    @Inject
    Jdbc jdbc;

    @Inject
    TemplateStore store;

    private static Map<String, Object> sms(String name, String body) {
        return Map.of("name", name, "channel", "SMS", "variants", List.of(Map.of("locale", "en", "sms", body)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
            "<#assign ex=\"freemarker.template.utility.ObjectConstructor\"?new()>${ex(\"java.lang.ProcessBuilder\",\"id\")}",
            "${contact?api.getClass()}",
            "${program.name?api.toString()}",
            "<#include \"/etc/passwd\">",
            "<#include \"../../pom.xml\">",
            "<#import \"../../../../etc/hosts\" as h>",
            "<#list 1..1000000000 as i></#list>Hi",
            "<#list 1..1000000000 as i>x</#list>",
            "<#macro m n><@m n=n+1/></#macro><@m n=1/>",
            "<#function f n><#return f(n+1)></#function>${f(1)}",
            "<#assign s=\"xx\"><#list contact?keys as k><#assign s=s+s></#list>${s}",
            "${\"x\"?interpret}",
            "${\"1+1\"?eval}",
            "${\"a\"?left_pad(1000000000)}",
            "${\"a\"?replace(\"\", \"aaaaaaaaaa\")?replace(\"\", \"aaaaaaaaaa\")}",
            "<#noautoesc>${contact.firstName}</#noautoesc>",
            "<#setting locale=\"en\">Hi",
            "<#list contact?keys as a><#list contact?keys as b><#list contact?keys as c>x</#list></#list></#list>",
            // The same, hidden in a string literal's own interpolation, at any depth
            "${\"${'7*7'?eval}\"}",
            "${\"a${\\\"${'7*7'?eval}\\\"}\"}",
            "${\"${'[1]'?eval_json}\"}",
            "${\"${'x'?interpret}\"}",
            "${\"${(1..1000000000)?join(',')}\"}",
            "<#if contact.firstName == \"never\">${\"${(1..100000000)?join(',')}\"}</#if>",
            "${\"${'a'?left_pad(300000000)}\"}",
            "${\"${'a'?replace('a', 'aa')}\"}",
            "${\"${contact.firstName?no_esc}\"}",
            "${\"${'a'?trim?trim?trim?trim}\"}",
            "${\"${.data_model?keys?join(',')}\"}",
            "${'x'?left_pad(20000000)}"})
    void injectionIsRefusedAtSaveAndNothingIsStored(String body) {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        long before = jdbc.queryLong("SELECT COUNT(*) FROM template");
        Api.Response r = api.post("/api/v1/templates", sms("ssti " + body.hashCode(), body), token);
        assertEquals(422, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.body().contains("variants[0].sms"), r.body());
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM template"));
    }

    @Test
    void aNewVersionIsCheckedLikeTheFirst() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number id = (Number) api.post("/api/v1/templates", sms("bypass by update", "Hello"), token).json().get("id");
        Api.Response update = api.put("/api/v1/templates/" + id, sms("bypass by update", "${\"${'7*7'?eval}\"}"), token);
        assertEquals(422, update.status(), update.body());
        assertTrue(update.body().contains("?eval is not allowed"), update.body());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM template_version WHERE template_id = ?", id.longValue()));
    }

    @Test
    void deepNestingIsRefusedAtSaveNotFailedAtRender() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        String nested = "<#if true>".repeat(6000) + "x" + "</#if>".repeat(6000);
        Api.Response r = api.post("/api/v1/templates", sms("deep", nested), token);
        assertEquals(422, r.status(), r.body());
        assertTrue(r.body().contains("nests"), r.body());
        String parentheses = "${" + "(".repeat(6000) + "1" + ")".repeat(6000) + "}";
        Api.Response p = api.post("/api/v1/templates", sms("deep expression", parentheses), token);
        assertEquals(422, p.status(), p.body());
        assertTrue(p.body().contains("nests"), p.body());
    }

    @Test
    void aVersionStoredUnderOlderRulesIsCheckedAgainBeforeItRuns() {
        long id = store.createTemplate("stored before the rules " + System.nanoTime(), health.outreach.common.Channel.SMS, null, null, null);
        store.addVersion(id, List.of(), "hash", "test", List.of(new TemplateVariant("en", null, null, null, "${\"${'7*7'?eval}\"}")));
        long version = jdbc.queryLong("SELECT id FROM template_version WHERE template_id = ?", id);
        RenderException e = assertThrows(RenderException.class, () -> renderer.render(version, "en", TemplatePart.SMS,
                validator.sample("en", List.of(), true), LinkTracker.NONE));
        assertTrue(e.getMessage().contains("?eval is not allowed"), e.getMessage());
    }

    @Test
    void theRendererItselfIsInertEvenWithoutTheSaveChecks() {
        Map<String, Object> model = validator.sample("en", List.of(), true);
        List<String> attacks = List.of(
                "${\"freemarker.template.utility.Execute\"?new()(\"id\")}",
                "${contact?api.getClass()}",
                "<#include \"/etc/passwd\">",
                "<#include \"../../pom.xml\">",
                "<#list 1..1000000000 as i>xxxxxxxxxx</#list>",
                "<#macro m n><@m n=n+1/></#macro><@m n=1/>");
        for (String attack : attacks) {
            RenderException e = assertThrows(RenderException.class, () -> {
                Template t = renderer.compile(attack, TemplatePart.TEXT);
                renderer.process(t, model, LinkTracker.NONE);
            }, attack);
            assertFalse(e.getMessage().contains("uid="), e.getMessage());
        }
    }

    @Test
    void unknownVariablesAndSyntaxErrorsAreNamedWithTheirPlace() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Api.Response unknown = api.post("/api/v1/templates", sms("unknown var", "Hi ${contact.shoeSize}"), token);
        assertEquals(422, unknown.status());
        assertTrue(unknown.body().contains("contact.shoeSize"), unknown.body());
        Api.Response syntax = api.post("/api/v1/templates", sms("bad syntax", "Hi\n<#if contact.firstName>x"), token);
        assertEquals(422, syntax.status());
        assertTrue(syntax.body().contains("line 2"), syntax.body());
    }

    @Test
    void emailsNeedAnUnsubscribeLinkAndSmsHasASegmentCap() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Api.Response noUnsubscribe = api.post("/api/v1/templates", Map.of("name", "no unsubscribe", "channel", "EMAIL",
                "variants", List.of(Map.of("locale", "en", "subject", "Hello", "html", "<p>Hi ${contact.firstName}</p>"))), token);
        assertEquals(422, noUnsubscribe.status());
        assertTrue(noUnsubscribe.body().contains("unsubscribe"), noUnsubscribe.body());

        Api.Response withLayout = api.post("/api/v1/templates", Map.of("name", "with layout", "channel", "EMAIL",
                "variants", List.of(Map.of("locale", "en", "subject", "Hello ${contact.firstName}",
                        "html", "<#import \"/partials/email-layout.ftlh\" as layout><@layout.page title=\"Hi\"><p>Hi</p></@layout.page>"))), token);
        assertEquals(201, withLayout.status(), withLayout.body());
        assertEquals(1, ((Number) withLayout.json().get("version")).intValue());

        Api.Response tooLong = api.post("/api/v1/templates", sms("too long", "x".repeat(470)), token);
        assertEquals(422, tooLong.status());
        assertTrue(tooLong.body().contains("4 SMS segments"), tooLong.body());
    }

    @Test
    void htmlIsEscapedWhileTextAndSmsKeepTheWordsAsTyped() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number contactId = (Number) api.post("/api/v1/contacts", Map.of("email", "xss@example.org", "phone", "+12125550166",
                "firstName", "<script>alert(1)</script>"), token).json().get("id");
        Number email = (Number) api.post("/api/v1/templates", Map.of("name", "escape check", "channel", "EMAIL",
                "variants", List.of(Map.of("locale", "en", "subject", "Hi ${contact.firstName}",
                        "html", "<p>Hi ${contact.firstName}</p><a href=\"${unsubscribe_url}\">Unsubscribe</a>",
                        "text", "Hi ${contact.firstName} ${unsubscribe_url}"))), token).json().get("id");
        Map<String, Object> preview = api.post("/api/v1/templates/" + email + "/preview", Map.of("contactId", contactId), token).json();
        String html = (String) preview.get("html");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(((String) preview.get("text")).contains("Hi <script>alert(1)</script>"));

        Number sms = (Number) api.post("/api/v1/templates", sms("escape sms", "Hi ${contact.firstName}"), token).json().get("id");
        Map<String, Object> smsPreview = api.post("/api/v1/templates/" + sms + "/preview", Map.of("contactId", contactId), token).json();
        assertEquals("Hi <script>alert(1)</script>", smsPreview.get("sms"));
    }

    @Test
    void updatesMakeNewVersionsAndOldOnesStayReadable() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number id = (Number) api.post("/api/v1/templates", sms("versioned", "First text"), token).json().get("id");
        Api.Response v2 = api.put("/api/v1/templates/" + id, sms("versioned", "Second text"), token);
        assertEquals(200, v2.status(), v2.body());
        assertEquals(2, ((Number) v2.json().get("version")).intValue());
        Map<String, Object> v1 = api.get("/api/v1/templates/" + id + "/versions/1", token).json();
        assertEquals("First text", ((Map<?, ?>) ((List<?>) v1.get("variants")).get(0)).get("sms"));
        assertEquals(2, api.get("/api/v1/templates/" + id + "/versions", token).jsonList().size());
        Api.Response channelChange = api.put("/api/v1/templates/" + id, Map.of("name", "versioned", "channel", "EMAIL",
                "variants", List.of(Map.of("locale", "en", "subject", "x", "html", "${unsubscribe_url}"))), token);
        assertEquals(422, channelChange.status());
    }
}
