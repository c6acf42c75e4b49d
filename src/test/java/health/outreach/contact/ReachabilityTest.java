package health.outreach.contact;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQL that selects recipients and the check made again before a send are one rule: over every
 * combination of consent, address, erasure, pause and suppression, on the real database, both say
 * the same about who may receive.
 */
@MicronautTest(transactional = false)
class ReachabilityTest {

    @Inject
    Jdbc jdbc;

    @Inject
    Suppressions suppressions;

    private record Case(long id, ConsentState consent, String address, Instant erased, Instant paused, boolean suppressed) {
    }

    @Test
    void theSqlAndTheClaimTimeCheckAgreeOnEveryCombination() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (Channel channel : Channel.values()) {
            List<Case> cases = new ArrayList<>();
            int n = 0;
            for (ConsentState consent : ConsentState.values()) {
                for (boolean hasAddress : new boolean[]{true, false}) {
                    for (Instant erased : new Instant[]{null, now.minus(Duration.ofDays(1))}) {
                        for (Instant paused : new Instant[]{null, now.minusSeconds(60), now, now.plusSeconds(60)}) {
                            for (boolean suppressed : new boolean[]{false, true}) {
                                String address = hasAddress ? address(channel, run, n++) : null;
                                cases.add(insert(channel, consent, address, erased, paused, suppressed, now));
                            }
                        }
                    }
                }
            }
            int reachable = 0;
            for (Case c : cases) {
                boolean bySql = jdbc.queryLong("SELECT COUNT(*) FROM contact c WHERE c.id = ? AND " + Reachability.sql(channel),
                        c.id(), now) == 1;
                boolean byCheck = Reachability.of(c.consent(), c.address(), c.erased(), c.paused(), c.suppressed(), now)
                        == Reachability.Verdict.REACHABLE;
                assertEquals(bySql, byCheck, channel + " " + c);
                reachable += bySql ? 1 : 0;
            }
            // Opted in, with an address, not erased, not suppressed, pause absent or past: two cases.
            assertEquals(2, reachable, channel + ": the matrix holds reachable contacts, so agreement proves something");
            assertTrue(cases.size() > 100);
        }
    }

    private static String address(Channel channel, String run, int n) {
        return channel == Channel.EMAIL ? "reach-" + run + "-" + n + "@example.org"
                : "+1555" + String.format("%07d", (Math.abs(run.hashCode()) % 9000) * 1000 + n);
    }

    private Case insert(Channel channel, ConsentState consent, String address, Instant erased, Instant paused, boolean suppressed,
                        Instant now) {
        String column = channel == Channel.EMAIL ? "email" : "phone";
        long id = jdbc.insert("INSERT INTO contact (" + column + ", " + column + "_hash, " + ContactColumns.consent(channel)
                        + ", locale, erased_at, paused_until, created_at, updated_at) VALUES (?, ?, ?, 'en', ?, ?, ?, ?)",
                address, address == null ? null : ContactStore.hash(address), consent.name(), erased, paused, now, now);
        if (suppressed && address != null) {
            suppressions.add(new Suppressions.Entry(channel, address, "MANUAL", "reachability test", now));
        }
        return new Case(id, consent, address, erased, paused, suppressed && address != null);
    }
}
