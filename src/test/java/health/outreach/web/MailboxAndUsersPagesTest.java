package health.outreach.web;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
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

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capture mailbox as a coordinator reads it, and user management for administrators only. */
@MicronautTest(transactional = false)
class MailboxAndUsersPagesTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Test
    void capturedEmailIsShownAsSentWithItsHtmlInASandboxedFrame() {
        fixture.contacts("MAILBOXPAGE", 2, "America/Chicago");
        fixture.launch(fixture.segment("MAILBOXPAGE"), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(2, fixture.drain(dispatcher));
        PageSession coordinator = users.page(client, Role.COORDINATOR);

        Api.Response list = coordinator.get("/admin/mailbox?channel=EMAIL&to=mailboxpage-0@example.org");
        assertEquals(200, list.status());
        assertTrue(list.body().contains("Hello Pat"), "the subject as rendered for the contact");
        assertFalse(list.body().contains("mailboxpage-1@example.org"), "filtered by recipient");
        long id = jdbc.queryLong("SELECT MAX(id) FROM captured_message WHERE recipient = 'mailboxpage-0@example.org'");

        Api.Response detail = coordinator.get("/admin/mailbox/" + id);
        assertTrue(detail.body().contains("<iframe sandbox=\"allow-popups allow-popups-to-escape-sandbox\" src=\"/admin/mailbox/" + id + "/html\""));
        assertTrue(detail.body().contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "the headers as captured");
        Api.Response html = coordinator.get("/admin/mailbox/" + id + "/html");
        assertTrue(html.header("Content-Security-Policy").endsWith("sandbox allow-popups allow-popups-to-escape-sandbox"),
                html.header("Content-Security-Policy"));
        assertTrue(html.body().contains("<base target=\"_blank\">"), "a link opens a tab, not the page inside the frame");
        assertTrue(html.header("Content-Security-Policy").contains("img-src data:;"), "no remote image: a pixel would count an open");
        assertEquals("SAMEORIGIN", html.header("X-Frame-Options"));
        assertTrue(html.body().contains("Hi Pat"));
        assertEquals(404, coordinator.get("/admin/mailbox/987654").status());
    }

    @Test
    void onlyAnAdministratorManagesUsersAndTheLastOneCannotBeDemoted() {
        PageSession coordinator = users.page(client, Role.COORDINATOR);
        assertEquals(403, coordinator.get("/admin/users").status());
        assertFalse(coordinator.get("/admin").body().contains("/admin/users"), "no Users link for a coordinator");

        PageSession admin = PageSession.signedIn(client, "admin", "admin-test-password");
        assertEquals(200, admin.get("/admin/users").status());
        Api.Response shortPassword = admin.post("/admin/users", Map.of("username", "nurse.kim", "displayName", "Kim",
                "role", "COORDINATOR", "password", "short"));
        assertEquals(422, shortPassword.status());
        assertTrue(shortPassword.body().contains("at least 12 characters"));
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM app_user WHERE username = 'nurse.kim'"));

        assertEquals(303, admin.post("/admin/users", Map.of("username", "nurse.kim", "displayName", "Kim", "role", "COORDINATOR",
                "password", "a long enough passphrase")).status());
        PageSession kim = PageSession.signedIn(client, "nurse.kim", "a long enough passphrase");
        assertEquals(200, kim.get("/admin/campaigns").status());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'"));
        Api.Response audit = admin.get("/admin/audit?entityType=user");
        assertTrue(audit.body().contains("user.create") && audit.body().contains("nurse.kim"), "the change is on the audit page");

        long adminId = jdbc.queryLong("SELECT id FROM app_user WHERE username = 'admin'");
        admin.get("/admin/users");
        Api.Response demote = admin.post("/admin/users/" + adminId, Map.of("role", "MANAGER", "enabled", "yes"));
        assertEquals(409, demote.status());
        assertTrue(demote.body().contains("This is the last enabled administrator"));
    }
}
