package health.outreach.contact;

import health.outreach.common.Jdbc;
import health.outreach.imports.ImportJobs;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator uploads a contact CSV from the browser and follows its report until it is done. */
@MicronautTest(transactional = false)
class ContactImportPagesTest {

    /** A page that keeps itself current loads the live script; a finished one does not. */
    private static final String REFRESH = "<script src=\"/assets/live.js\" defer></script>";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    ImportJobs jobs;

    @Inject
    Jdbc jdbc;

    private PageSession as(Role role) {
        return users.page(client, role);
    }

    @Test
    void anUploadWithOneGoodAndOneBadRowEndsInAReportNamingTheBadRow() {
        PageSession coordinator = as(Role.COORDINATOR);
        Api.Response form = coordinator.get("/admin/contacts/import");
        assertEquals(200, form.status());
        assertTrue(form.body().contains("enctype=\"multipart/form-data\""));
        assertTrue(form.body().contains("<code>consent_email</code>"), "the expected columns");

        String csv = "email,first_name,time_zone,consent_email,consent_source,consent_wording\r\n"
                + "uploaded.good@example.org,Good,America/Chicago,yes,health fair,Emails about spine care\r\n"
                + "uploaded.bad@@example.org,Bad,America/Chicago,,,\r\n";
        Api.Response accepted = coordinator.upload("/admin/contacts/import", "file", "contacts.csv", bytes(csv));
        assertEquals(303, accepted.status(), accepted.body());
        String location = accepted.header("Location");
        assertTrue(location.matches("/admin/imports/\\d+"), location);

        Api.Response report = await("the import's page stops refreshing").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> coordinator.get(location), r -> !r.body().contains(REFRESH));
        assertEquals(200, report.status());
        String body = report.body();
        assertTrue(body.contains("<span class=\"badge DONE\">done</span>"), body);
        assertFalse(body.contains(REFRESH), "a finished report stops refreshing");
        assertTrue(body.contains("<b>1</b>imported") && body.contains("<b>1</b>rejected") && body.contains("<b>2</b>rows read"), body);
        assertTrue(body.contains("<b>2</b> of 2 rows read (100%)"), "progress as rows of the file's total: " + body);
        assertTrue(body.matches("(?s).*<td class=\"num\">3</td><td>email</td><td>&#39;uploaded.bad@@example.org&#39; is not.*"),
                "the bad row's number (the header is row 1) and field");
        assertEquals("OPTED_IN", jdbc.queryOne("SELECT email_consent FROM contact WHERE email = 'uploaded.good@example.org'",
                rs -> rs.getString(1)).orElseThrow());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'contacts.import' AND entity_id = ?",
                location.substring(location.lastIndexOf('/') + 1)));
        assertEquals(200, as(Role.MANAGER).get(location).status(), "managers read reports");
    }

    @Test
    void aRunningImportRefreshesItselfAndBadUploadsWriteNothing() {
        long running = jobs.create("CONTACTS", "test");
        PageSession coordinator = as(Role.COORDINATOR);
        Api.Response page = coordinator.get("/admin/imports/" + running);
        assertTrue(page.body().contains(REFRESH), page.body());
        assertEquals(404, coordinator.get("/admin/imports/987654").status());
        int bad = coordinator.get("/admin/imports/latest").status();
        assertTrue(bad >= 400 && bad < 500, "a bad id: " + bad);

        long before = jdbc.queryLong("SELECT COUNT(*) FROM import_job");
        byte[] csv = bytes("email\r\nnot.imported@example.org\r\n");
        coordinator.get("/admin/contacts/import");
        assertEquals(403, coordinator.upload("/admin/contacts/import", null, "file", "c.csv", csv).status(), "no token");
        assertEquals(403, coordinator.upload("/admin/contacts/import", "x" + coordinator.csrf(), "file", "c.csv", csv).status());
        assertEquals(403, as(Role.MANAGER).upload("/admin/contacts/import", "file", "c.csv", csv).status(), "managers may not");

        Api.Response header = coordinator.upload("/admin/contacts/import", "file", "c.csv", bytes("email,favourite_colour\r\na@example.org,red\r\n"));
        assertEquals(400, header.status());
        assertTrue(header.body().contains("favourite_colour") && header.body().contains("unknown column"), header.body());
        assertTrue(header.body().contains("enctype=\"multipart/form-data\""), "the form again, to pick another file");
        // No file chosen; the client sends it as a plain field, as a hand-made request could.
        Api.Response empty = coordinator.upload("/admin/contacts/import", "file", "", new byte[0]);
        assertEquals(400, empty.status());
        assertTrue(empty.body().contains("choose a CSV file"), empty.body());
        assertEquals(before, jdbc.queryLong("SELECT COUNT(*) FROM import_job"));
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM contact WHERE email IN ('not.imported@example.org', 'a@example.org')"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
