package health.outreach.report;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.delivery.Dispatcher;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign report's CSV, fetched as people fetch it (the API and the admin page), opened the
 * ways a spreadsheet may open it: split on commas, semicolons or tabs, honouring quotes or not.
 * Whatever coordinators named things and whatever contacts' data says, no cell starts a formula.
 */
@MicronautTest(transactional = false)
class ReportCsvExportTest {

    private static final String CAMPAIGN = "x;=cmd|' /C calc'!A0";
    private static final String SEGMENT = "Adults\t=1+1;@SUM(A1:A9)";
    private static final String TEMPLATE = "+cmd|' /C notepad'!A0, \"=HYPERLINK(\"\"http://evil.example\"\")\"\n-2+3";
    /** Contacts' postal codes make the region keys (of their letters and digits). */
    private static final String POSTAL_CODE = "-1+CSV";
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?");

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

    @Test
    void hostileNamesAndDataComeOutQuotedAndNeverAsAFormulaWhateverTheSeparator() throws IOException {
        fixture.daytime();
        fixture.contacts(POSTAL_CODE, 6, "America/Chicago");
        long template = fixture.emailTemplate();
        long campaign = fixture.launch(fixture.segment(POSTAL_CODE), 0, DeliveryFixture.now(Channel.EMAIL, template));
        assertEquals(6, fixture.drain(dispatcher));
        jdbc.update("UPDATE campaign SET name = ? WHERE id = ?", CAMPAIGN, campaign);
        jdbc.update("UPDATE segment SET name = ? WHERE id = (SELECT segment_id FROM campaign WHERE id = ?)", SEGMENT, campaign);
        jdbc.update("UPDATE template SET name = ? WHERE id = ?", TEMPLATE, template);

        Api api = new Api(client);
        Api.Response fromApi = api.get("/api/v1/reports/campaigns/" + campaign + ".csv", users.token(api, Role.MANAGER));
        Api.Response fromPage = users.page(client, Role.MANAGER).get("/admin/campaigns/" + campaign + "/report.csv");
        for (Api.Response export : List.of(fromApi, fromPage)) {
            assertEquals(200, export.status(), export.body());
            assertTrue(export.contentType().startsWith("text/csv"), export.contentType());
            String csv = export.body();

            // As written: comma-separated, every text cell quoted, numbers bare.
            List<CSVRecord> records = parse(csv, CSVFormat.DEFAULT);
            CSVRecord head = records.stream().filter(r -> r.get(0).equals("campaign")).findFirst().orElseThrow();
            assertEquals("x;'=cmd|' /C calc'!A0", head.get(2));
            assertTrue(csv.contains(",\"x;'=cmd|' /C calc'!A0\","), "the name is one quoted cell: " + csv);
            assertEquals("6", head.get(6), "sent, a number");
            assertTrue(csv.contains(",6,"), "numbers are not quoted: " + csv);
            assertEquals("Adults\t'=1+1;'@SUM(A1:A9)", records.stream().filter(r -> r.get(0).equals("holdout")).findFirst()
                    .orElseThrow().get(2));
            assertTrue(records.stream().anyMatch(r -> r.get(0).equals("region")), csv);
            for (String line : csv.split("\r\n(?=\")")) {
                assertTrue(line.startsWith("\""), "a line starts with its quoted section: " + line);
            }

            // As a spreadsheet with another list separator, or none that knows our quotes, reads it.
            for (char separator : new char[]{',', ';', '\t'}) {
                for (boolean quotes : new boolean[]{true, false}) {
                    CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separator).setQuote(quotes ? '"' : null)
                            .setTrailingData(true).setLenientEof(true).build();
                    for (CSVRecord r : parse(csv, format)) {
                        for (String cell : r) {
                            assertFalse(live(cell), "a formula when split on '" + separator + "' (quotes " + quotes + "): ["
                                    + cell + "] in " + r);
                        }
                    }
                }
            }
        }
    }

    /** A cell a spreadsheet evaluates: it starts (past spaces and quotes) with = + - @, a tab or CR, and is not a number. */
    private static boolean live(String cell) {
        String s = cell.replaceFirst("^[ \"]+", "");
        return !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !NUMBER.matcher(s).matches();
    }

    private static List<CSVRecord> parse(String csv, CSVFormat format) throws IOException {
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
            return new ArrayList<>(parser.getRecords());
        }
    }
}
