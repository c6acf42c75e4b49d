package health.outreach.report;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.PageSession;
import health.outreach.support.SignedWebhooks;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Region names in the report (page, JSON, CSV), edited on their admin page; and the analysts'
 * exports, the tidy CSV and the bookings CSV, read back with a standard CSV parser and audited.
 */
@MicronautTest(transactional = false)
class ReportExportsTest {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("exports-clinic".getBytes());

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    TestUsers users;

    @Inject
    @Client("/")
    HttpClient client;

    /** Ten people, five in prefix Q7X (to be named) and five in Q8Y (left unnamed); three bookings. */
    private long campaignWithBookings() {
        fixture.daytime();
        String tag = "exp" + UUID.randomUUID().toString().substring(0, 6);
        List<Long> people = fixture.contacts(tag, 10, "America/Chicago");
        jdbc.insert("INSERT INTO clinic (code, name, time_zone, webhook_secret, created_at) VALUES (?, 'Exports', 'America/Chicago', ?, ?)",
                "exp-" + UUID.randomUUID().toString().substring(0, 6), SECRET, Instant.now());
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        for (int i = 0; i < people.size(); i++) {
            jdbc.update("UPDATE contact SET postal_code = ? WHERE id = ?", i < 5 ? "Q7X 1A" + i : "Q8Y 2B" + i, people.get(i));
        }
        fixture.drain(dispatcher);
        book(people.get(0), "BOOKED");
        book(people.get(1), "ATTENDED");
        book(people.get(5), "BOOKED");
        book(people.get(5), "CANCELLED");
        return campaign;
    }

    private void book(long contact, String status) {
        String email = jdbc.queryOne("SELECT email FROM contact WHERE id = ?", rs -> rs.getString(1), contact).orElseThrow();
        String body = "{\"bookingId\":\"X-" + contact + "\",\"status\":\"" + status + "\",\"contact\":{\"email\":\"" + email + "\"}}";
        Api.Response r = new Api(client).send(SignedWebhooks.post("/webhooks/bookings", SECRET, "msg_" + UUID.randomUUID(),
                fixture.clock().instant().getEpochSecond(), body));
        assertEquals(200, r.status(), r.body());
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            return parser.getRecords();
        }
    }

    private long exports(long campaign) {
        return jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'reports.export' AND entity_id = ?", Long.toString(campaign));
    }

    @Test
    void regionNamesAreEditedOnTheirPageAndShownInTheReportWithThePrefixAsFallback() throws IOException {
        long campaign = campaignWithBookings();
        PageSession manager = users.page(client, Role.MANAGER);
        PageSession coordinator = users.page(client, Role.COORDINATOR);
        assertEquals(200, manager.get("/admin/regions").status());
        assertFalse(manager.get("/admin/regions").body().contains("Add a region"), "managers read the names");

        coordinator.get("/admin/regions");
        Api.Response bad = coordinator.post("/admin/regions", Map.of("prefix", "Q7", "name", "Bay"));
        assertEquals(422, bad.status());
        assertTrue(bad.body().contains("the first 3 letters or digits of a postal code"), "the error at the field");
        assertEquals(303, coordinator.post("/admin/regions", Map.of("prefix", "q7x", "name", "Old name")).status());
        coordinator.get("/admin/regions");
        assertEquals(303, coordinator.post("/admin/regions", Map.of("prefix", "Q7X", "name", "Harbour District")).status());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM region_name WHERE prefix = 'Q7X' AND name = 'Harbour District'"), "renamed, not added");
        assertEquals(2, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'region.save' AND entity_id = 'Q7X'"));

        Api api = new Api(client);
        Map<String, Object> report = api.get("/api/v1/reports/campaigns/" + campaign, users.token(api, Role.MANAGER)).json();
        Map<String, Object> byLabel = new java.util.HashMap<>();
        ((List<?>) report.get("byRegion")).forEach(r -> byLabel.put((String) ((Map<?, ?>) r).get("label"), r));
        assertEquals(Map.of("key", "Q7X", "label", "Harbour District", "reached", 5, "booked", 2, "attended", 1, "conversionRate", 0.4),
                byLabel.get("Harbour District"));
        assertEquals("Q8Y", ((Map<?, ?>) byLabel.get("Q8Y")).get("key"), "an unnamed region shows its prefix");
        assertEquals(0, ((Number) ((Map<?, ?>) byLabel.get("Q8Y")).get("booked")).intValue(), "its booking was cancelled");

        Api.Response page = manager.get("/admin/campaigns/" + campaign + "/report");
        assertTrue(page.body().contains("Harbour District <span class=\"hint\">(Q7X)</span>"), "the page names the region");
        List<CSVRecord> csv = parse(manager.get("/admin/campaigns/" + campaign + "/report.csv").body());
        assertTrue(csv.stream().anyMatch(r -> r.get("section").equals("region") && r.get("key").equals("Q7X")
                && r.get("label").equals("Harbour District")), "the CSV names it too");

        coordinator.get("/admin/regions");
        assertEquals(303, coordinator.post("/admin/regions/delete", Map.of("prefix", "Q7X")).status());
        Map<String, Object> after = api.get("/api/v1/reports/campaigns/" + campaign, users.token(api, Role.MANAGER)).json();
        assertTrue(((List<?>) after.get("byRegion")).stream().anyMatch(r -> "Q7X".equals(((Map<?, ?>) r).get("label"))),
                "without its name the region falls back to the prefix");
    }

    @Test
    void theTidyCsvHasOneLinePerCellWithRatesAndIntervals() throws IOException {
        long campaign = campaignWithBookings();
        PageSession manager = users.page(client, Role.MANAGER);
        Api.Response page = manager.get("/admin/campaigns/" + campaign + "/report");
        assertTrue(page.body().contains("/admin/campaigns/" + campaign + "/report/tidy.csv"), "linked from the report");
        assertTrue(page.body().contains("/admin/campaigns/" + campaign + "/report/bookings.csv"));
        assertTrue(page.body().contains("@media print"), "the report prints without the navigation");
        long before = exports(campaign);

        Api.Response tidy = manager.get("/admin/campaigns/" + campaign + "/report/tidy.csv");
        assertEquals(200, tidy.status());
        assertTrue(tidy.contentType().startsWith("text/csv"));
        try (CSVParser parser = CSVParser.parse(new StringReader(tidy.body()), CSVFormat.DEFAULT)) {
            assertEquals(List.of(TidyCsv.HEADER), List.of(parser.getRecords().get(0).values()));
        }
        List<CSVRecord> rows = parse(tidy.body());
        rows.forEach(r -> assertEquals(TidyCsv.HEADER.length, r.size(), r.toString()));
        CSVRecord booked = cell(rows, "campaign", Long.toString(campaign), "booked");
        assertEquals("2", booked.get("count"));
        assertEquals("10", booked.get("of"));
        assertEquals(0.2, Double.parseDouble(booked.get("rate")), 1e-9);
        double low = Double.parseDouble(booked.get("ci95_low"));
        double high = Double.parseDouble(booked.get("ci95_high"));
        assertTrue(low > 0 && low < 0.2 && high > 0.2 && high < 1, low + " .. " + high);
        assertEquals("1", cell(rows, "booking_status", "CANCELLED", "bookings").get("count"));
        assertEquals("1", cell(rows, "booking_status", "ATTENDED", "bookings").get("count"));
        assertEquals("2", cell(rows, "step", "step-1", "booked").get("count"));
        assertEquals("10", cell(rows, "step", "step-1", "sent").get("count"));
        assertEquals("5", cell(rows, "region", "Q7X", "reached").get("count"));
        assertEquals("1", cell(rows, "region", "Q7X", "attended").get("count"));
        assertEquals(before + 1, exports(campaign), "audited");

        Api api = new Api(client);
        Api.Response viaApi = api.get("/api/v1/reports/campaigns/" + campaign + "/tidy.csv", users.token(api, Role.MANAGER));
        assertEquals(200, viaApi.status());
        assertEquals(tidy.body(), viaApi.body(), "the API and the page export the same");
        assertEquals(404, api.get("/api/v1/reports/campaigns/987654/tidy.csv", users.token(api, Role.MANAGER)).status());
    }

    @Test
    void theBookingsCsvNamesPeopleOnlyForRolesThatMaySeeThem() throws IOException {
        long campaign = campaignWithBookings();
        Api api = new Api(client);
        long before = exports(campaign);

        Api.Response managers = api.get("/api/v1/reports/campaigns/" + campaign + "/bookings.csv", users.token(api, Role.MANAGER));
        assertEquals(200, managers.status(), managers.body());
        List<CSVRecord> rows = parse(managers.body());
        try (CSVParser parser = CSVParser.parse(new StringReader(managers.body()), CSVFormat.DEFAULT)) {
            assertEquals(BookingsCsv.HEADER, List.of(parser.getRecords().get(0).values()), "no name columns");
        }
        assertEquals(3, rows.size());
        assertFalse(managers.body().contains("Pat") || managers.body().contains("@example.org"), "no names, no addresses");
        Map<String, String> statuses = new java.util.TreeMap<>();
        rows.forEach(r -> statuses.put(r.get("contact_id"), r.get("status")));
        assertEquals(List.of("ATTENDED", "BOOKED", "CANCELLED"), statuses.values().stream().sorted().toList());
        CSVRecord first = rows.get(0);
        assertEquals(Long.toString(campaign), first.get("campaign_id"));
        assertEquals("1", first.get("step"));
        assertEquals("EMAIL", first.get("channel"));
        assertEquals("", first.get("variant"));
        assertEquals("webhook", first.get("source"));
        assertEquals("ATTRIBUTED", first.get("attribution"));
        assertTrue(first.get("attribution_reason").startsWith("delivered"), first.get("attribution_reason"));
        assertEquals(fixture.clock().instant().toString().substring(0, 10), first.get("requested_at").substring(0, 10));

        PageSession coordinator = users.page(client, Role.COORDINATOR);
        Api.Response named = coordinator.get("/admin/campaigns/" + campaign + "/report/bookings.csv");
        assertEquals(200, named.status());
        List<CSVRecord> namedRows = parse(named.body());
        assertEquals("Pat", namedRows.get(0).get("first_name"));
        assertEquals("Test", namedRows.get(0).get("last_name"));
        assertEquals(before + 2, exports(campaign), "both exports audited");
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM audit_log WHERE action = 'reports.export' AND entity_id = ? "
                + "AND detail LIKE '%\"names\":true%'", Long.toString(campaign)));
    }

    private static CSVRecord cell(List<CSVRecord> rows, String dimension, String value, String metric) {
        return rows.stream().filter(r -> r.get("dimension").equals(dimension) && r.get("value").equals(value)
                && r.get("metric").equals(metric)).findFirst().orElseThrow(() -> new AssertionError(dimension + "/" + value + "/" + metric));
    }
}
