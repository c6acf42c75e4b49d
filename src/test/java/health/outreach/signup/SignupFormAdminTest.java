package health.outreach.signup;

import health.outreach.common.Channel;
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

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/forms} and the admin pages under {@code /admin/forms}: validation, versions, roles, form tokens. */
@MicronautTest(transactional = false)
class SignupFormAdminTest {

    @Inject
    TestUsers users;
    @Inject
    DeliveryFixture fixture;
    @Inject
    @Client("/")
    HttpClient client;

    @SuppressWarnings("unchecked")
    private static List<String> fieldsOf(Api.Response problem) {
        return ((List<Map<String, Object>>) problem.json().get("errors")).stream().map(e -> (String) e.get("field")).toList();
    }

    @Test
    void theApiValidatesEveryFieldAndSavesChangedWordsAsANewVersion() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Map<String, Object> bad = new LinkedHashMap<>(SignupTestSupport.formBody("Bad Key!", 999_999L, Map.of("STOP", "en", "HOLA", "fr")));
        bad.put("partnerOrigins", List.of("https://partner.example.org/page; script-src *", "*.example.org"));
        bad.put("channels", List.of("EMAIL", "SMS", "FAX"));
        bad.put("texts", Map.of("en", Map.of("title", "Only English")));
        Api.Response problem = api.post("/api/v1/forms", bad, token);
        assertEquals(422, problem.status(), problem.body());
        assertTrue(problem.contentType().startsWith("application/problem+json"), problem.contentType());
        List<String> fields = fieldsOf(problem);
        for (String f : List.of("key", "channels", "texts.en.emailWording", "texts.es.title", "partnerOrigins[0]", "partnerOrigins[1]",
                "campaignId", "keywords.en", "keywords.HOLA")) {
            assertTrue(fields.contains(f), f + " in " + fields);
        }
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM signup_form WHERE form_key LIKE 'bad%'"));

        Api.Response created = api.post("/api/v1/forms", SignupTestSupport.formBody("clinic-flyer", null, Map.of("SPINE", "en")), token);
        assertEquals(201, created.status(), created.body());
        Map<String, Object> form = (Map<String, Object>) created.json().get("form");
        Number id = (Number) form.get("id");
        assertEquals(1, ((Number) form.get("version")).intValue());
        assertTrue(((String) created.json().get("embedCode")).contains("/join/clinic-flyer?embed=1"));

        Api.Response taken = api.post("/api/v1/forms", SignupTestSupport.formBody("other-flyer", null, Map.of("SPINE", "es")), token);
        assertEquals(422, taken.status());
        assertTrue(taken.body().contains("'SPINE' is the keyword of the form 'clinic-flyer'"), taken.body());
        assertEquals(422, api.post("/api/v1/forms", SignupTestSupport.formBody("clinic-flyer", null, Map.of()), token).status());

        Map<String, Object> same = SignupTestSupport.formBody("clinic-flyer", null, Map.of("SPINE", "en"));
        same.put("fields", List.of("email", "phone"));
        assertEquals(1, ((Number) ((Map<String, Object>) api.put("/api/v1/forms/" + id, same, token).json().get("form")).get("version")).intValue(),
                "fields change in place");
        Map<String, Object> reworded = SignupTestSupport.formBody("clinic-flyer", null, Map.of("SPINE", "en"));
        Map<String, Object> texts = new HashMap<>((Map<String, Object>) reworded.get("texts"));
        texts.put("en", Map.of("title", "New title", "emailWording", "New email words.", "smsWording", "New SMS words. Reply STOP."));
        reworded.put("texts", texts);
        Api.Response v2 = api.put("/api/v1/forms/" + id, reworded, token);
        assertEquals(200, v2.status(), v2.body());
        assertEquals(2, ((Number) ((Map<String, Object>) v2.json().get("form")).get("version")).intValue());
        assertEquals(2, fixture.count("SELECT COUNT(DISTINCT version) FROM signup_form_text WHERE form_id = ?", id.longValue()),
                "the words of version 1 stay, for the requests made from them");

        String manager = users.token(api, Role.MANAGER);
        assertEquals(200, api.get("/api/v1/forms/" + id, manager).status());
        assertEquals(200, api.get("/api/v1/forms/" + id + "/pending", manager).status());
        assertEquals(403, api.post("/api/v1/forms", SignupTestSupport.formBody("manager-form", null, Map.of()), manager).status());
        assertEquals(401, api.get("/api/v1/forms", null).status());
        assertEquals(404, api.get("/api/v1/forms/987654", token).status());
    }

    @Test
    void theAdminPagesCreateAndEditWithFieldErrorsAndFormTokens() {
        long draft = fixture.create(fixture.segment("SFA01"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        PageSession coordinator = users.page(client, Role.COORDINATOR);
        Api.Response list = coordinator.get("/admin/forms");
        assertEquals(200, list.status());
        assertTrue(list.body().contains("href=\"/admin/forms\" aria-current=\"page\""), "the nav link");
        assertEquals(200, coordinator.get("/admin/forms/new").status());

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "health-fair");
        fields.put("fields", "email");
        fields.put("channels", "EMAIL");
        fields.put("campaignId", Long.toString(draft));
        fields.put("partnerOrigins", "https://partner.example.org\nnot an origin");
        fields.put("texts.en.title", "Health fair");
        fields.put("texts.en.emailWording", "Email me tips.");
        fields.put("texts.es.title", "Feria de salud");
        fields.put("texts.es.emailWording", "");
        Api.Response invalid = coordinator.post("/admin/forms", fields);
        assertEquals(422, invalid.status());
        assertTrue(invalid.body().contains("id=\"texts-es-emailWording-error\""), invalid.body());
        assertTrue(invalid.body().contains("aria-describedby=\"partnerOrigins-error\""), invalid.body());
        assertTrue(invalid.body().contains("value=\"health-fair\""), "what was typed stays");

        fields.put("partnerOrigins", "https://partner.example.org");
        fields.put("texts.es.emailWording", "Envíenme consejos.");
        Api.Response created = coordinator.post("/admin/forms", fields);
        assertEquals(303, created.status(), created.body());
        String location = created.header("Location");
        Api.Response page = coordinator.get(location.substring(0, location.indexOf('?')));
        assertTrue(page.body().contains("The campaign is DRAFT: people who confirm now are not enrolled"), page.body());
        assertTrue(page.body().contains("/join/health-fair?embed=1"));

        fields.put("texts.en.emailWording", "Email me spine tips, up to 4 a month.");
        Api.Response edited = coordinator.post(location.substring(0, location.indexOf('?')), fields);
        assertEquals(303, edited.status());
        assertTrue(edited.header("Location").endsWith("notice=form-version"), edited.header("Location"));

        Map<String, String> forged = new LinkedHashMap<>(fields);
        forged.put("_csrf", "forged");
        forged.put("key", "forged-form");
        assertEquals(403, coordinator.post("/admin/forms", forged).status());
        assertEquals(0, fixture.count("SELECT COUNT(*) FROM signup_form WHERE form_key = 'forged-form'"));

        PageSession manager = users.page(client, Role.MANAGER);
        Api.Response readOnly = manager.get(location.substring(0, location.indexOf('?')));
        assertEquals(200, readOnly.status());
        assertFalse(readOnly.body().contains("<button type=\"submit\">Save</button>"));
        assertEquals(403, manager.post("/admin/forms", fields).status());
    }
}
