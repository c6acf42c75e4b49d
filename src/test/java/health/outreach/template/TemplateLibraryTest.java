package health.outreach.template;

import health.outreach.common.FieldError;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.core.type.Argument;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class TemplateLibraryTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    LibraryFiles files;

    @Inject
    TemplateLibrary library;

    @Inject
    TemplateValidator validator;

    @Inject
    ObjectMapper json;

    @Inject
    TemplateStore store;

    @Inject
    TemplateService templates;

    @Test
    void everyLibraryTemplateRendersInEveryLocaleAndPassesValidation() throws Exception {
        LibraryFiles.Library lib = files.read();
        assertTrue(lib.templates().size() >= 11, "the default library: " + lib.templates().size());
        assertTrue(lib.partials().containsKey("partials/email-layout.ftlh"));
        List<String> problems = new ArrayList<>();
        for (LibraryFiles.LibraryTemplate t : lib.templates()) {
            TemplateLibrary.Metadata meta = json.readValue(t.metadataJson(), Argument.of(TemplateLibrary.Metadata.class));
            assertEquals(List.of("en", "es"), List.copyOf(t.variants().keySet()), t.key() + " has English and Spanish");
            List<TemplateVariant> variants = t.variants().entrySet().stream().map(e -> new TemplateVariant(e.getKey(),
                    e.getValue().get(TemplatePart.SUBJECT), e.getValue().get(TemplatePart.HTML),
                    e.getValue().get(TemplatePart.TEXT), e.getValue().get(TemplatePart.SMS))).toList();
            for (FieldError e : validator.validate(meta.channel(), variants, List.of())) {
                problems.add(t.key() + " " + e.field() + ": " + e.message());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void startupLoadedTheLibraryAndASecondSyncChangesNothing() {
        TemplateLibrary.SyncResult again = library.sync();
        assertEquals(0, again.created());
        assertEquals(0, again.updated());
        assertEquals(List.of(), again.failures());
        assertEquals(files.read().templates().size(), again.unchanged());
    }

    @Test
    void aCoordinatorsEditOfALibraryTemplateSurvivesTheNextStart() {
        TemplateStore.TemplateRow awareness = store.findByLibraryKey("awareness-email").orElseThrow();
        TemplateViews.Detail current = templates.get(awareness.id(), null);
        List<TemplateVariant> edited = current.variants().stream().map(v -> new TemplateVariant(v.locale(),
                "Edited: " + v.subject(), v.html(), v.text(), v.sms())).toList();
        int version = templates.update(awareness.id(), new TemplateViews.Form(current.name(), current.channel(), current.purpose(),
                current.description(), current.attributes(), edited), "coordinator").version();

        TemplateLibrary.SyncResult next = library.sync(); // what the next start does
        assertEquals(0, next.updated());
        assertEquals(version, store.findByLibraryKey("awareness-email").orElseThrow().currentVersion(), "still the edit");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachLibraryTemplatePreviewsInSpanishForASpanishSpeakerAtGradeEightOrBelow() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number contact = (Number) api.post("/api/v1/contacts", Map.of("firstName", "María", "email", "maria@example.org",
                "phone", "+12105550142", "locale", "es-MX"), token).json().get("id");
        List<Object> templates = api.get("/api/v1/templates", token).jsonList();
        int previewed = 0;
        for (Object o : templates) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (t.get("libraryKey") == null) {
                continue;
            }
            Api.Response r = api.post("/api/v1/templates/" + t.get("id") + "/preview", Map.of("contactId", contact), token);
            assertEquals(200, r.status(), t.get("libraryKey") + ": " + r.body());
            Map<String, Object> p = r.json();
            assertEquals("es", p.get("locale"), t.get("libraryKey") + " falls back from es-MX to es");
            double grade = ((Number) p.get("readingGrade")).doubleValue();
            assertTrue(grade <= 8.0, t.get("libraryKey") + " reads at grade " + grade + ": " + p.get("warnings"));
            if ("SMS".equals(t.get("channel"))) {
                assertNotNull(p.get("smsEncoding"));
                assertTrue(((Number) p.get("smsSegments")).intValue() >= 1);
                assertFalse(((String) p.get("sms")).isBlank());
            } else {
                assertTrue(((String) p.get("html")).contains("lang=\"es\""), t.get("libraryKey") + " html is Spanish");
                assertTrue(((String) p.get("text")).contains("María"), "personalised");
            }
            previewed++;
        }
        assertTrue(previewed >= 11, "previewed " + previewed);
    }
}
