package health.outreach.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The interval arithmetic against published and hand-computed values. */
class VariantStatsTest {

    private static final double EPS = 5e-5;

    @Test
    void newcombesIntervalMatchesHisPublishedExamples() {
        // Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10.
        assertInterval(0.2, 0.0524, 0.3339, ProportionDifference.of(Proportion.of(56, 70), Proportion.of(48, 80)));
        assertInterval(0.6, 0.1705, 0.8090, ProportionDifference.of(Proportion.of(9, 10), Proportion.of(3, 10)));
        assertInterval(0.0893, -0.0381, 0.1926, ProportionDifference.of(Proportion.of(5, 56), Proportion.of(0, 29)));
        assertNull(ProportionDifference.of(Proportion.of(0, 0), Proportion.of(3, 10)).value(), "nobody reached: no difference");
    }

    @Test
    void eachVariantIsComparedWithTheBestOnEachMetric() {
        VariantReport.StepVariants step = VariantReport.of(11, 1, "EMAIL", List.of(
                new VariantReport.Counts("A", 1, 1, "Subject A", 50, 100, 20, 12),
                new VariantReport.Counts("B", 2, 1, "Subject B", 50, 100, 30, 5)));
        assertEquals("B", step.bestByClicks());
        assertEquals("A", step.bestByBookings());
        VariantReport.VariantStats a = step.variants().get(0);
        VariantReport.VariantStats b = step.variants().get(1);
        // Wilson 20/100: 0.1334 to 0.2888; 30/100: 0.2189 to 0.3958 (by hand: centre (p + z²/2n)/(1 + z²/n)).
        assertEquals(0.2, a.clickRate().rate(), EPS);
        assertEquals(0.1334, a.clickRate().low(), EPS);
        assertEquals(0.2888, a.clickRate().high(), EPS);
        assertEquals(0.2189, b.clickRate().low(), EPS);
        assertEquals(0.3958, b.clickRate().high(), EPS);
        // A against B on clicks: -0.1 − √(0.0666² + 0.0958²) = -0.2167, -0.1 + √(0.0888² + 0.0811²) = 0.0202.
        assertInterval(-0.1, -0.2167, 0.0202, a.clickVsBest());
        assertEquals(0.0, b.clickVsBest().value());
        assertNull(b.clickVsBest().low(), "the best has no interval against itself");
        assertEquals(0.0, a.bookingVsBest().value());
        assertEquals(-0.07, b.bookingVsBest().value(), EPS);
        assertEquals(12, a.booked());
        assertEquals(100, b.reached());
    }

    private static void assertInterval(double value, double low, double high, ProportionDifference d) {
        assertEquals(value, d.value(), EPS, "difference");
        assertEquals(low, d.low(), EPS, "low");
        assertEquals(high, d.high(), EPS, "high");
    }
}
