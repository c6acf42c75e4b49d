package health.outreach.common;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Values that COPY's text format must escape arrive unchanged (COPY on PostgreSQL, batch INSERT on H2). */
@MicronautTest(transactional = false)
class BulkInsertTest {

    private static final List<String> HOSTILE = Arrays.asList("plain", "", null, "tab\there", "line\nbreak", "cr\rlf\r\n",
            "back\\slash", "\\N", "\\.", "end\\", "\"quoted\", with commas", "ñandú — 🦴", "\\\t\\n");

    @Inject
    Jdbc jdbc;

    @Test
    void awkwardTextAndNullsRoundTrip() {
        long contactId = 900_000_000L + System.nanoTime() % 1_000_000;
        Instant first = Instant.parse("2026-03-08T06:59:59.123456Z");
        Instant second = Instant.parse("2026-11-01T08:00:00Z");
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            rows.add(new Object[]{contactId, "EMAIL", "OPT_IN", "OPTED_IN", "source " + i, HOSTILE.get(i),
                    HOSTILE.get(HOSTILE.size() - 1 - i), "tester", null, i % 2 == 0 ? first : second, first});
        }
        BulkInsert.insert(jdbc, "consent_event", List.of("contact_id", "channel", "action", "state_after", "source", "wording",
                "evidence", "actor", "message_id", "occurred_at", "recorded_at"), rows);
        List<Object[]> back = jdbc.query("SELECT wording, evidence, occurred_at, message_id FROM consent_event "
                + "WHERE contact_id = ? ORDER BY id", rs -> new Object[]{rs.getString(1), rs.getString(2),
                rs.getTimestamp(3).toInstant(), rs.getObject(4)}, contactId);
        assertEquals(HOSTILE.size(), back.size());
        for (int i = 0; i < HOSTILE.size(); i++) {
            assertEquals(HOSTILE.get(i), back.get(i)[0], "wording of row " + i);
            assertEquals(HOSTILE.get(HOSTILE.size() - 1 - i), back.get(i)[1], "evidence of row " + i);
            assertEquals(i % 2 == 0 ? first : second, back.get(i)[2], "occurred_at of row " + i);
            assertEquals(null, back.get(i)[3]);
        }
    }
}
