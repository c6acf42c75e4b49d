package health.outreach.contact;

import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coordinators find, create, fix and erase contacts and record consent in the admin pages; managers only read. */
@MicronautTest(transactional = false)
class ContactPagesTest {

    private static final Pattern ROW = Pattern.compile("<tr>\\s*<td><a href=\"/admin/contacts/\\d+\">");

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    ContactService contacts;

    @Inject
    Jdbc jdbc;

    private PageSession as(Role role) {
        return users.page(client, role);
    }

    private long contact(String first, String last, String email) {
        return contacts.createOrMerge(new ContactInput(null, first, last, email, null, "en-US", null, null, null, Map.of()))
                .contact().id();
    }

    @Test
    void searchFindsAContactByEmailAndPagesThroughTheResults() {
        for (int i = 0; i < 55; i++) {
            contact("Pat" + i, "Pagewise", "pat" + i + "@pagewise.example.org");
        }
        long zed = contact("Zed", "Findme", "zed.findme@example.org");
        PageSession manager = as(Role.MANAGER);

        Api.Response found = manager.get("/admin/contacts?q=zed.findme%40example.org");
        assertEquals(200, found.status(), found.body());
        assertTrue(found.body().contains("href=\"/admin/contacts/" + zed + "\""), "the contact found by email");
        assertEquals(1, rows(found.body()));
        assertTrue(found.body().contains("1 contact matches"), found.body());

        Api.Response first = manager.get("/admin/contacts?q=pagewise");
        assertEquals(50, rows(first.body()), "50 per page");
        assertTrue(first.body().contains("55 contacts match"));
        assertTrue(first.body().contains("/admin/contacts?page=1&amp;q=pagewise\""), "a next link keeping the search");
        assertFalse(first.body().contains("rel=\"prev\""));
        Api.Response second = manager.get("/admin/contacts?q=pagewise&page=1");
        assertEquals(5, rows(second.body()));
        assertTrue(second.body().contains("rel=\"prev\"") && !second.body().contains("rel=\"next\""));
        assertTrue(second.body().contains("class=\"badge NONE\""), "consent per channel as badges");

        assertEquals(5, rows(manager.get("/admin/contacts?q=pagewise&page=999").body()), "past the end: the last page");
        assertEquals(50, rows(manager.get("/admin/contacts?q=pagewise&page=two").body()), "a bad page number: the first");
        assertEquals(0, rows(manager.get("/admin/contacts?q=%25%27%22%3C").body()), "hostile search text matches nothing");
    }

    @Test
    void aCoordinatorCreatesAContactThroughTheFormAndEveryBadFieldIsListed() {
        PageSession coordinator = as(Role.COORDINATOR);
        assertEquals(200, coordinator.get("/admin/contacts/new").status());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("firstName", "Ana");
        form.put("lastName", "Formby");
        form.put("email", "ana@@example");
        form.put("phone", "555-12");
        form.put("locale", "es-US");
        form.put("timeZone", "Mars/Olympus");
        form.put("postalCode", "78701");
        form.put("attributes", "age_band=45-64\nno equals sign here\nreferral_date=2026-03-31");
        long before = jdbc.queryLong("SELECT COUNT(*) FROM contact");
        Api.Response refused = coordinator.post("/admin/contacts", form);
        assertEquals(422, refused.status(), refused.body());
        for (String field : new String[]{"<b>email</b>", "<b>phone</b>", "<b>timeZone</b>", "<b>attributes</b>: line 2"}) {
            assertTrue(refused.body().contains(field), "lists " + field);
        }
        assertTrue(refused.body().contains("value=\"Mars/Olympus\""), "what was typed comes back");
        assertTrue(refused.body().contains("no equals sign here"), "the attribute lines too");
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM contact"), "nothing saved");

        form.put("email", "Ana.Formby@Example.org");
        form.put("phone", "(212) 555-0142");
        form.put("timeZone", "America/Chicago");
        form.put("attributes", "age_band=45-64\nreferral_date=2026-03-31");
        Api.Response created = coordinator.post("/admin/contacts", form);
        assertEquals(303, created.status(), created.body());
        String location = created.header("Location");
        assertTrue(location.matches("/admin/contacts/\\d+\\?notice=created"), location);
        long id = Long.parseLong(location.replaceAll("\\D+(\\d+)\\D.*", "$1"));
        assertEquals("+12125550142", jdbc.queryOne("SELECT phone FROM contact WHERE email = 'ana.formby@example.org'",
                rs -> rs.getString(1)).orElseThrow(), "normalised as the API does");
        Api.Response page = coordinator.get(location);
        assertTrue(page.body().contains("Saved.") && page.body().contains("Ana Formby"));
        assertTrue(page.body().contains("<td>referral_date</td><td>2026-03-31</td>"), page.body());

        form.put("firstName", "Anita");
        Api.Response merged = coordinator.post("/admin/contacts", form);
        assertEquals("/admin/contacts/" + id + "?notice=merged", merged.header("Location"), "same email: merged, not doubled");

        Api.Response edit = coordinator.get("/admin/contacts/" + id + "/edit");
        assertTrue(edit.body().contains("age_band=45-64\nreferral_date=2026-03-31"), edit.body());
        form.put("attributes", "age_band=65+");
        form.put("timeZone", "Nowhere");
        assertEquals(422, coordinator.post("/admin/contacts/" + id, form).status());
        form.put("timeZone", "America/Chicago");
        assertEquals("/admin/contacts/" + id + "?notice=saved", coordinator.post("/admin/contacts/" + id, form).header("Location"));
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM contact_attribute WHERE contact_id = ?", id), "a removed line removes it");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.update' AND entity_id = ?",
                Long.toString(id)));
    }

    @Test
    void recordingAnOptOutWritesTheLedgerAndTheAuditLogAndReOptingInNeedsEvidence() {
        long id = contact("Olu", "Ledger", "olu.ledger@example.org");
        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/contacts/" + id);

        Api.Response noWording = coordinator.post(consents(id), consent("EMAIL", "OPT_IN", "phone call", "", ""));
        assertEquals(422, noWording.status());
        assertTrue(noWording.body().contains("<b>wording</b>"), noWording.body());
        Api.Response noPhone = coordinator.post(consents(id), consent("SMS", "OPT_IN", "phone call", "Texts about back pain", ""));
        assertEquals(422, noPhone.status(), "the ledger's own rule, as the form's error");
        assertTrue(noPhone.body().contains("no phone number to consent for"));
        assertEquals(303, coordinator.post(consents(id), consent("EMAIL", "OPT_IN", "health fair", "Emails about spine care", "")).status());

        Api.Response out = coordinator.post(consents(id), consent("EMAIL", "OPT_OUT", "phone call", "", ""));
        assertEquals(303, out.status(), out.body());
        assertEquals("/admin/contacts/" + id + "?notice=consent", out.header("Location"));
        assertEquals("OPTED_OUT", state(id));
        assertEquals("OPT_OUT", jdbc.queryOne("SELECT action FROM consent_event WHERE contact_id = ? ORDER BY id DESC LIMIT 1",
                rs -> rs.getString(1), id).orElseThrow());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'consent.opt_out' AND entity_type = 'contact' "
                + "AND entity_id = ? AND actor = 'test-coordinator'", Long.toString(id)));
        jdbc.update("INSERT INTO message (contact_id, channel, kind, status, due_at, created_at, updated_at) "
                + "VALUES (?, 'EMAIL', 'TRANSACTIONAL', 'SENT', ?, ?, ?)", id, Instant.now(), Instant.now(), Instant.now());
        jdbc.update("INSERT INTO booking (contact_id, source, status, requested_at, attribution, created_at) "
                + "VALUES (?, 'PAGE', 'REQUESTED', ?, 'UNATTRIBUTED', ?)", id, Instant.now(), Instant.now());
        Api.Response page = coordinator.get("/admin/contacts/" + id + "?notice=consent");
        assertTrue(page.body().contains("The consent change is in the ledger."));
        assertTrue(page.body().contains("<td>transactional</td>") && page.body().contains("<td>requested</td>"),
                "recent messages and bookings");
        assertTrue(page.body().contains("<span class=\"badge OPTED_OUT\">opted out</span>"));
        assertTrue(page.body().contains("<td>Emails about spine care</td>"), "the ledger shows the wording");

        long entries = ledger(id);
        Api.Response back = coordinator.post(consents(id), consent("EMAIL", "OPT_IN", "front desk", "Emails about spine care", ""));
        assertEquals(422, back.status(), back.body());
        assertTrue(back.body().contains("needs evidence of their request"), "the ledger's refusal is shown");
        assertTrue(back.body().contains("value=\"front desk\""), "and what was typed is kept");
        assertEquals(entries, ledger(id));
        assertEquals("OPTED_OUT", state(id));

        assertEquals(303, coordinator.post(consents(id), consent("EMAIL", "OPT_IN", "front desk", "Emails about spine care",
                "signed form 2026-03-02, filed at the clinic")).status());
        assertEquals("OPTED_IN", state(id));
    }

    @Test
    void erasureNeedsItsBoxTickedThenShowsTheContactAsErased() {
        long id = contact("Eve", "Erasable", "eve.erasable@example.org");
        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/contacts/" + id);
        assertEquals(422, coordinator.post("/admin/contacts/" + id + "/erase", Map.of()).status());
        assertEquals("eve.erasable@example.org", email(id), "not erased without the box");

        Api.Response erased = coordinator.post("/admin/contacts/" + id + "/erase", Map.of("confirm", "yes"));
        assertEquals("/admin/contacts/" + id + "?notice=erased", erased.header("Location"));
        assertNull(email(id));
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.erase' AND entity_id = ?", Long.toString(id)));
        Api.Response page = coordinator.get("/admin/contacts/" + id);
        assertTrue(page.body().contains("was erased at their request"));
        assertFalse(page.body().contains("/consents\"") || page.body().contains("/erase\""), "nothing left to change");
        assertEquals(303, coordinator.get("/admin/contacts/" + id + "/edit").status());
        assertEquals(404, coordinator.post("/admin/contacts/" + id + "/erase", Map.of("confirm", "yes")).status());
    }

    @Test
    void aManagerReadsButCannotChangeAndAFormWithoutItsTokenChangesNothing() {
        long id = contact("Mo", "Readonly", "mo.readonly@example.org");
        PageSession manager = as(Role.MANAGER);
        Api.Response list = manager.get("/admin/contacts");
        assertEquals(200, list.status());
        assertFalse(list.body().contains("/admin/contacts/new") || list.body().contains("/admin/contacts/import"));
        Api.Response page = manager.get("/admin/contacts/" + id);
        assertEquals(200, page.status());
        assertFalse(page.body().contains("/consents\"") || page.body().contains("/erase\"") || page.body().contains("/edit\""));
        for (String path : new String[]{"/admin/contacts/new", "/admin/contacts/" + id + "/edit", "/admin/contacts/import"}) {
            assertEquals(403, manager.get(path).status(), path);
        }
        for (String path : new String[]{"/admin/contacts", "/admin/contacts/" + id, consents(id), "/admin/contacts/" + id + "/erase"}) {
            assertEquals(403, manager.post(path, consent("EMAIL", "OPT_OUT", "x", "", "")).status(), path);
        }

        PageSession coordinator = as(Role.COORDINATOR);
        coordinator.get("/admin/contacts/" + id);
        long entries = ledger(id);
        long count = jdbc.queryLong("SELECT COUNT(*) FROM contact");
        Map<String, String> optOut = consent("EMAIL", "OPT_OUT", "x", "", "");
        assertEquals(403, coordinator.submit(consents(id), optOut).status(), "no token");
        optOut.put("_csrf", "x" + coordinator.csrf());
        assertEquals(403, coordinator.submit(consents(id), optOut).status(), "a wrong token");
        assertEquals(403, coordinator.submit("/admin/contacts", Map.of("email", "new@example.org")).status());
        assertEquals(403, coordinator.submit("/admin/contacts/" + id, Map.of("email", "changed@example.org")).status());
        assertEquals(403, coordinator.submit("/admin/contacts/" + id + "/erase", Map.of("confirm", "yes", "_csrf", "forged")).status());
        assertEquals(entries, ledger(id));
        assertEquals(count, jdbc.queryLong("SELECT COUNT(*) FROM contact"));
        assertEquals("mo.readonly@example.org", email(id));

        assertEquals(404, coordinator.get("/admin/contacts/987654").status());
        assertEquals(404, coordinator.post(consents(987654), consent("EMAIL", "OPT_OUT", "x", "", "")).status());
        int bad = coordinator.get("/admin/contacts/not-a-number").status();
        assertTrue(bad >= 400 && bad < 500, "a bad id is the caller's mistake: " + bad);
        int huge = coordinator.get("/admin/contacts/99999999999999999999999").status();
        assertTrue(huge >= 400 && huge < 500, "so is an id out of range: " + huge);
    }

    private static String consents(long id) {
        return "/admin/contacts/" + id + "/consents";
    }

    private static Map<String, String> consent(String channel, String action, String source, String wording, String evidence) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("channel", channel);
        form.put("action", action);
        form.put("source", source);
        form.put("wording", wording);
        form.put("evidence", evidence);
        return form;
    }

    private String state(long id) {
        return jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
    }

    private String email(long id) {
        return jdbc.queryOne("SELECT email FROM contact WHERE id = ?", rs -> rs.getString(1), id).orElse(null);
    }

    private long ledger(long id) {
        return jdbc.queryLong("SELECT COUNT(*) FROM consent_event WHERE contact_id = ?", id);
    }

    private static int rows(String body) {
        Matcher m = ROW.matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
