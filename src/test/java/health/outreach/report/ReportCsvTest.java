package health.outreach.report;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportCsvTest {

    @Test
    void aHostileCampaignAndTemplateNameCannotBecomeAFormula() throws IOException {
        Lift lift = Lift.of(0, 0, 0, 0);
        FunnelRow step = new FunnelRow("step-1", "=cmd|'/C calc'!A0", 10, 9, 8, 1, 0, 0, 2, 3, 0, 0, 1, 1.0 / 9, 0);
        Reports.CampaignReport report = new Reports.CampaignReport(7, "@evil\"name,with comma", "RUNNING",
                new Reports.Segment(1, "-segment"), 12, 2, 10, 9, 8, 1, 2, 0, 1, 0, 0.1, 0.0, lift, 3, 5,
                List.of(new DaysToBooking.Bucket(3, 1)), List.of(step), List.of(), List.of(), List.of(),
                List.of(AudienceRow.of("+1", 10, 1)), List.of(), 0, 0, "BOOKED", 0, 0, 1, 0, List.of(), List.of());
        try (CSVParser parser = CSVParser.parse(new StringReader(ReportCsv.of(report)), CSVFormat.DEFAULT)) {
            List<CSVRecord> records = parser.getRecords();
            for (CSVRecord r : records) {
                assertEquals(ReportCsv.HEADER.length, r.size());
                for (String cell : r) {
                    boolean number = cell.matches("-?[0-9.E]+");
                    assertEquals(false, !number && !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0, "live formula: " + cell);
                }
            }
            assertEquals("'@evil\"name,with comma", records.get(1).get(2));
            assertEquals("'=cmd|'/C calc'!A0", records.stream().filter(r -> r.get(0).equals("step")).findFirst().orElseThrow().get(2));
        }
    }
}
