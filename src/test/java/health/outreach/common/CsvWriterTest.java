package health.outreach.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvWriterTest {

    @Test
    void aFormulaIsNeutralisedAtTheStartAndAfterEverySeparatorASpreadsheetMaySplitOn() {
        assertEquals("x;'=cmd|' /C calc'!A0", CsvWriter.neutralise("x;=cmd|' /C calc'!A0"));
        assertEquals("'=HYPERLINK(\"http://evil.example\",\"x\")", CsvWriter.neutralise("=HYPERLINK(\"http://evil.example\",\"x\")"));
        assertEquals("'+cmd|' /C calc'!A0", CsvWriter.neutralise("+cmd|' /C calc'!A0"));
        assertEquals("'-2+3", CsvWriter.neutralise("-2+3"));
        assertEquals("'@SUM(A1)", CsvWriter.neutralise("@SUM(A1)"));
        assertEquals("'\t'=1", CsvWriter.neutralise("\t=1"), "a tab starts a formula and is a separator");
        assertEquals("'\r\n'=1", CsvWriter.neutralise("\r\n=1"));
        assertEquals("a,'-1", CsvWriter.neutralise("a,-1"));
        assertEquals("a\n'@b", CsvWriter.neutralise("a\n@b"));
        assertEquals("a;' =b", CsvWriter.neutralise("a; =b"), "spaces a spreadsheet may trim");
        assertEquals("a;'\"=b\"", CsvWriter.neutralise("a;\"=b\""), "a quote a spreadsheet may take for the cell's own");
        assertEquals("Spring awareness", CsvWriter.neutralise("Spring awareness"));
        assertEquals("a=b, c+d; e-f", CsvWriter.neutralise("a=b, c+d; e-f"));
        assertEquals("", CsvWriter.neutralise(""));
    }

    @Test
    void textIsAlwaysQuotedAndNumbersStayBare() {
        String csv = new CsvWriter().row("name", "say \"hi\"", 12L, 0.25, null, "").row(-3, Double.NaN, "-3").toString();
        assertEquals("\"name\",\"say \"\"hi\"\"\",12,0.25,,\"\"\r\n-3,,\"'-3\"\r\n", csv);
    }
}
