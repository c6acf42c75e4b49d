package health.outreach.report;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A program manager reads a campaign's report and the dashboard in the admin UI, and exports the report. */
@MicronautTest(transactional = false)
class ReportPagesTest {

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
    void aManagerSeesTheFunnelAndTheDashboardAndTheCsvExportIsAudited() {
        String tag = "REPORTPAGE";
        fixture.contacts(tag, 7, "America/Chicago");
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(7, fixture.drain(dispatcher));
        PageSession manager = users.page(client, Role.MANAGER);

        Api.Response report = manager.get("/admin/campaigns/" + campaign + "/report");
        assertEquals(200, report.status());
        assertTrue(report.body().contains("<b>7</b>sent"), "the funnel's sent count");
        assertTrue(report.body().contains("no holdout: set holdoutPercent"), "why lift is withheld");
        assertTrue(report.body().contains("By template version"));
        assertTrue(report.body().contains("<svg"), "a chart a board can read");
        assertTrue(report.body().contains("<desc id=\"From-reached-to-booked-d\">Reached: 7; Clicked: 0; Booked: 0</desc>"),
                "the funnel chart says its numbers to a screen reader");
        assertTrue(report.body().contains("Messages sent by day"), "sends over time");

        Api.Response dashboard = manager.get("/admin");
        assertTrue(dashboard.body().contains("/admin/campaigns/" + campaign), "the campaign's headline row");
        assertTrue(dashboard.body().contains("<b>30 days</b>"), "30 days unless asked");
        assertTrue(dashboard.body().contains("<desc id=\"Messages-sent-to-bookings-d\">Sent: 7;"), "a chart of the period");
        Api.Response week = manager.get("/admin?days=7");
        assertTrue(week.body().contains("<b>7 days</b>") && week.body().contains("href=\"/admin?days=365\""), "other periods");

        long audits = jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'reports.export'");
        Api.Response csv = manager.get("/admin/campaigns/" + campaign + "/report.csv");
        assertEquals(200, csv.status());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertTrue(csv.header("Content-Disposition").contains("campaign-" + campaign + "-report.csv"));
        assertEquals(audits + 1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'reports.export'"), "every export is audited");
        assertEquals(404, manager.get("/admin/campaigns/987654/report").status());
    }
}
