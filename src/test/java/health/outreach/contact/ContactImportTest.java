package health.outreach.contact;

import health.outreach.common.Jdbc;
import health.outreach.security.Role;
import health.outreach.support.Api;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class ContactImportTest {

    private static final String HEADER = "external_id,first_name,last_name,email,phone,locale,time_zone,postal_code,"
            + "consent_email,consent_sms,consent_source,consent_wording,attr.age_band";

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    Jdbc jdbc;

    /** A hostile file: BOM, CRLF, quoted commas and line breaks, bad rows at known places, then 10,000 rows. */
    record Hostile(String csv, TreeSet<String> rejected, int validRows, int duplicates) {
    }

    static Hostile hostileFile() {
        List<String> lines = new ArrayList<>();
        TreeSet<String> rejected = new TreeSet<>();
        lines.add("\uFEFF" + HEADER);                                                                     // row 1
        lines.add("X-1,Ann,\"Smith, Jr.\",ann@example.org,+12125550100,en-US,America/New_York,10027,yes,yes,"
                + "health fair,\"I agree,\r\nby email and text\",45-64");                                   // row 2
        lines.add("X-2,\"Bo\nBcc\",Lee,bo@example.org,,en,,,,,,,");                                        // row 3
        rejected.add("3:first_name");
        lines.add("X-3,Cy,Ng,not-an-email,,en,,,,,,,");                                                  // row 4
        rejected.add("4:email");
        lines.add("X-4,Di,Ho,di@example.org,555-12,en,,,,,,,");                                         // row 5
        rejected.add("5:phone");
        lines.add("X-5,Ed,Yu,ed@example.org,,en,Mars/Base,,,,,,");                                      // row 6
        rejected.add("6:time_zone");
        lines.add("X-1,Ann,\"Smith, Jr.\",ann@example.org,+12125550100,en-US,America/New_York,10027,yes,yes,"
                + "health fair,\"I agree,\r\nby email and text\",45-64");                                   // row 7: duplicate of row 2
        lines.add("X-6,Fa,Li,fa@example.org,,en,,,maybe,,,,");                                          // row 8
        rejected.add("8:consent_email");
        lines.add("X-7,Gu,Ma,gu@example.org");                                                          // row 9: too few cells
        rejected.add("9:-");
        lines.add("X-8,Ha,Ok,,,en,,,,,,,");                                                             // row 10: no channel
        rejected.add("10:email");
        lines.add("X-9,Io,Pe,io@example.org,,en,,,,yes,,,");                                            // row 11: SMS consent, no phone
        rejected.add("11:consent_sms");
        int valid = 1; // row 2
        for (int i = 0; i < 10_000; i++) {
            int row = 12 + i;
            boolean bad = i % 997 == 0;
            String email = bad ? "user" + i + "@@example.org" : "user" + i + "@example.org";
            if (bad) {
                rejected.add(row + ":email");
            } else {
                valid++;
            }
            lines.add("G-" + i + ",Name" + i + ",Family,\"" + email + "\",,es-US,America/Chicago,78701,OPTED_IN,,"
                    + "website signup,,18-44");
        }
        return new Hostile(String.join("\r\n", lines) + "\r\n", rejected, valid, 1);
    }

    private Map<String, Object> awaitDone(Api api, String token, Api.Response accepted) {
        assertEquals(202, accepted.status(), accepted.body());
        Object id = accepted.json().get("id");
        return await("import " + id + " finished").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/api/v1/imports/" + id, token).json(), report -> !"RUNNING".equals(report.get("status")));
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> rejectedRows(Map<String, Object> report) {
        TreeSet<String> rows = new TreeSet<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) report.get("errors")) {
            rows.add(((Number) e.get("row")).intValue() + ":" + (e.get("field") == null ? "-" : e.get("field")));
        }
        return rows;
    }

    private static long count(Map<String, Object> report, String key) {
        return ((Number) report.get(key)).longValue();
    }

    @Test
    void aHostileFileImportsTheGoodRowsAndNamesEveryBadOne() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Hostile file = hostileFile();
        long before = jdbc.queryLong("SELECT COUNT(*) FROM contact");
        long ledgerBefore = jdbc.queryLong("SELECT COUNT(*) FROM consent_event");

        Map<String, Object> report = awaitDone(api, token, api.postCsv("/api/v1/contacts/import", file.csv(), token));
        assertEquals("DONE", report.get("status"), report.toString());
        assertEquals(10_010L, count(report, "rowsRead"));
        assertEquals(file.rejected().size(), count(report, "rejected"));
        assertEquals(file.rejected(), rejectedRows(report));
        assertEquals(file.validRows(), count(report, "imported"));
        assertEquals(file.duplicates(), count(report, "updated"));
        assertEquals(before + file.validRows(), jdbc.queryLong("SELECT COUNT(*) FROM contact"));

        Map<String, Object> ann = jdbc.queryOne("SELECT last_name, email_consent, sms_consent, phone FROM contact WHERE email = 'ann@example.org'",
                rs -> Map.<String, Object>of("last", rs.getString(1), "email", rs.getString(2), "sms", rs.getString(3),
                        "phone", rs.getString(4))).orElseThrow();
        assertEquals(Map.of("last", "Smith, Jr.", "email", "OPTED_IN", "sms", "OPTED_IN", "phone", "+12125550100"), ann);
        assertEquals("I agree,\r\nby email and text", jdbc.queryOne(
                "SELECT wording FROM consent_event e JOIN contact c ON c.id = e.contact_id WHERE c.email = 'ann@example.org' AND e.channel = 'EMAIL'",
                rs -> rs.getString(1)).orElseThrow(), "one ledger entry per change, the quoted line break kept");
        long ledger = jdbc.queryLong("SELECT COUNT(*) FROM consent_event");
        assertEquals(ledgerBefore + file.validRows() + 1L, ledger, "email for everyone valid, SMS for Ann, none for her duplicate row");

        // The same file again changes nothing and writes no new ledger entries.
        Map<String, Object> again = awaitDone(api, token, api.postCsv("/api/v1/contacts/import", file.csv(), token));
        assertEquals(0L, count(again, "imported"));
        assertEquals(file.validRows() + file.duplicates(), count(again, "updated"));
        assertEquals(file.rejected(), rejectedRows(again));
        assertEquals(ledger, jdbc.queryLong("SELECT COUNT(*) FROM consent_event"));
    }

    @Test
    void anImportCannotOptBackInSomeoneWhoOptedOut() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number id = (Number) api.post("/api/v1/contacts", Map.of("email", "optout@example.org"), token).json().get("id");
        api.post("/api/v1/contacts/" + id + "/consents", Map.of("channel", "EMAIL", "action", "OPT_OUT", "source", "unsubscribe link"), token);
        Map<String, Object> report = awaitDone(api, token, api.postCsv("/api/v1/contacts/import",
                "email,consent_email\noptout@example.org,yes\n", token));
        assertEquals(1L, count(report, "rejected"));
        assertEquals(new TreeSet<>(List.of("2:consent_email")), rejectedRows(report));
        assertEquals("OPTED_OUT", jdbc.queryOne("SELECT email_consent FROM contact WHERE id = ?", rs -> rs.getString(1), id).orElseThrow());
    }

    /**
     * The same person in two batches ends in file order, and a person reached by email in one batch
     * and by phone in the next keeps both changes.
     */
    @Test
    void onePersonInTwoChunksEndsInFileOrderWithNothingLost() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number both = (Number) api.post("/api/v1/contacts", Map.of("email", "both-keys@example.org", "phone", "+13125550155",
                "lastName", "Before"), token).json().get("id");
        api.post("/api/v1/contacts/" + both + "/consents", Map.of("channel", "EMAIL", "action", "OPT_IN", "source", "form"), token);
        StringBuilder csv = new StringBuilder("email,phone,first_name,last_name,consent_email\n");
        csv.append("twice@example.org,,Early,,\n");
        csv.append("both-keys@example.org,,,,OPTED_OUT\n");
        for (int i = 0; i < 1_200; i++) {
            csv.append("chunk-filler-").append(i).append("@example.org,,F,,\n");
        }
        csv.append("twice@example.org,,Late,,\n");
        csv.append(",+13125550155,,After,\n");
        Map<String, Object> report = awaitDone(api, token, api.postCsv("/api/v1/contacts/import", csv.toString(), token));
        assertEquals("DONE", report.get("status"), report.toString());
        assertEquals(0L, count(report, "rejected"), report.toString());
        assertEquals("Late", jdbc.queryOne("SELECT first_name FROM contact WHERE email = 'twice@example.org'",
                rs -> rs.getString(1)).orElseThrow());
        assertEquals(List.of("OPTED_OUT", "After"), jdbc.queryOne("SELECT email_consent, last_name FROM contact WHERE id = ?",
                rs -> List.of(rs.getString(1), rs.getString(2)), both).orElseThrow());
    }

    /** CTIA: the first text after an opt-in carries the opt-out line, whether the contact is new or updated. */
    @Test
    void anImportedTextOptInOwesTheOptOutNotice() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        Number existing = (Number) api.post("/api/v1/contacts", Map.of("phone", "+13125550188"), token).json().get("id");
        Map<String, Object> report = awaitDone(api, token, api.postCsv("/api/v1/contacts/import",
                "email,phone,consent_email,consent_sms\n"
                        + "notice-new@example.org,+13125550177,yes,yes\n"
                        + ",+13125550188,,yes\n"
                        + "notice-none@example.org,+13125550166,yes,\n", token));
        assertEquals(2L, count(report, "imported"), report.toString());
        assertEquals(1L, count(report, "updated"), report.toString());
        assertEquals(Map.of("+13125550177", true, "+13125550188", true, "+13125550166", false), jdbc.query(
                "SELECT phone, sms_notice_due FROM contact WHERE phone IN ('+13125550177', '+13125550188', '+13125550166')",
                rs -> Map.entry(rs.getString(1), rs.getBoolean(2))).stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(existing.longValue(), jdbc.queryOne("SELECT id FROM contact WHERE phone = '+13125550188'",
                rs -> rs.getLong(1)).orElseThrow());
    }

    @Test
    void malformedFilesAreRefusedWholeAndWriteNothing() {
        Api api = new Api(client);
        String token = users.token(api, Role.COORDINATOR);
        long contactsBefore = jdbc.queryLong("SELECT COUNT(*) FROM contact");
        long jobsBefore = jdbc.queryLong("SELECT COUNT(*) FROM import_job");
        byte[] notUtf8 = ("email,first_name\na@example.org,Jos" + (char) 0 + "\n").getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length - 3] = (byte) 0xC3; // a lone lead byte: not UTF-8
        notUtf8[notUtf8.length - 2] = (byte) 0x28;
        List<Api.Response> responses = List.of(
                api.postBytes("/api/v1/contacts/import", notUtf8, "text/csv", token),
                api.postCsv("/api/v1/contacts/import", "email,first_name\na@example.org,\"Ann\nb@example.org,Bo\n", token),
                api.postCsv("/api/v1/contacts/import", "email,shoe_size\na@example.org,9\n", token),
                api.postCsv("/api/v1/contacts/import", "", token),
                api.postCsv("/api/v1/contacts/import", "first_name,last_name\nAnn,Lee\n", token),
                api.postCsv("/api/v1/contacts/import", "email,email\na@example.org,b@example.org\n", token));
        List<String> details = new ArrayList<>();
        for (Api.Response r : responses) {
            assertEquals(400, r.status(), r.body());
            assertEquals("application/problem+json", r.contentType());
            assertEquals("/problems/malformed-csv", r.json().get("type"), r.body());
            details.add((String) r.json().get("detail"));
        }
        assertTrue(details.get(0).contains("UTF-8"), details.get(0));
        assertTrue(details.get(1).contains("unbalanced quotes"), details.get(1));
        assertTrue(details.get(2).contains("shoe_size"), details.get(2));
        assertTrue(details.get(4).contains("email or a phone"), details.get(4));
        assertTrue(details.get(5).contains("twice"), details.get(5));
        assertEquals(contactsBefore, jdbc.queryLong("SELECT COUNT(*) FROM contact"));
        assertEquals(jobsBefore, jdbc.queryLong("SELECT COUNT(*) FROM import_job"));
        assertFalse(details.stream().anyMatch(d -> d.contains("Exception")), details.toString());
    }
}
