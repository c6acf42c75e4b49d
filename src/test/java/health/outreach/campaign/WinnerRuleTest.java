package health.outreach.campaign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The winner rule against numbers worked by hand. */
class WinnerRuleTest {

    @Test
    void zAndPOfTwoProportionsMatchTheHandComputedValues() {
        // 60/500 = 0.12 against 40/500 = 0.08: pooled 100/1000 = 0.1,
        // se = sqrt(0.1 · 0.9 · (1/500 + 1/500)) = sqrt(0.00036) = 0.0189737,
        // z = 0.04 / 0.0189737 = 2.108185, two-sided p = erfc(2.108185 / √2) = 0.035015.
        assertEquals(2.108185, WinnerRule.z(60, 500, 40, 500), 1e-6);
        assertEquals(0.035015, WinnerRule.twoSidedP(2.108185), 1e-6);
        // 50/250 = 0.2 against 30/250 = 0.12: pooled 0.16, se = sqrt(0.16 · 0.84 · 0.008) = 0.0327902,
        // z = 0.08 / 0.0327902 = 2.439750, p = 0.014697.
        assertEquals(2.439750, WinnerRule.z(50, 250, 30, 250), 1e-6);
        assertEquals(0.014697, WinnerRule.twoSidedP(2.439750), 1e-6);
        // 30/200 against 18/200: pooled 0.12, se = sqrt(0.12 · 0.88 · 0.01) = 0.0324962, z = 0.06 / 0.0324962 = 1.846372.
        assertEquals(1.846372, WinnerRule.z(30, 200, 18, 200), 1e-6);
        assertEquals(0.064838, WinnerRule.twoSidedP(1.846372), 1e-6);
        assertEquals(1.0, WinnerRule.twoSidedP(0.0), 1e-7);
        assertEquals(-WinnerRule.z(60, 500, 40, 500), WinnerRule.z(40, 500, 60, 500), 1e-12, "symmetric");
    }

    @Test
    void undefinedStatisticsAreNullNotAWin() {
        assertNull(WinnerRule.z(0, 100, 0, 100), "nobody clicked anywhere: no difference to test");
        assertNull(WinnerRule.z(100, 100, 100, 100));
        assertNull(WinnerRule.z(0, 0, 3, 10), "an empty arm");
    }

    @Test
    void theBestWinsOnlyWhenItBeatsEveryOtherVariantAtAlpha() {
        WinnerRule.Outcome clear = WinnerRule.decide(List.of(new WinnerRule.Arm("A", 500, 40), new WinnerRule.Arm("B", 500, 60)), 100, 0);
        assertEquals(1, clear.winner());
        assertEquals(1, clear.best());
        assertFalse(clear.fellBack());
        assertNull(clear.notice());
        assertEquals(0.035015, clear.arms().get(0).p(), 1e-6, "B against A");
        assertEquals(2.108185, clear.arms().get(0).z(), 1e-6);
        assertNull(clear.arms().get(1).p(), "the best is not compared with itself");

        // C beats A clearly but not B (60 vs 50 of 500: p ≈ 0.32), so nobody wins: the fallback B.
        WinnerRule.Outcome close = WinnerRule.decide(List.of(new WinnerRule.Arm("A", 500, 30), new WinnerRule.Arm("B", 500, 50),
                new WinnerRule.Arm("C", 500, 60)), 100, 1);
        assertEquals(2, close.best());
        assertEquals(1, close.winner());
        assertTrue(close.fellBack());
        assertTrue(close.notice().contains("C against B"), close.notice());
        assertTrue(close.arms().get(0).p() < 0.05 && close.arms().get(1).p() > 0.05);
    }

    @Test
    void underTheMinimumSampleTheFallbackIsSentWithANotice() {
        // A difference this large would be significant, but B reached too few people to count.
        WinnerRule.Outcome small = WinnerRule.decide(List.of(new WinnerRule.Arm("A", 200, 2), new WinnerRule.Arm("B", 99, 40)), 100, 0);
        assertEquals(0, small.winner());
        assertEquals(1, small.best());
        assertTrue(small.fellBack());
        assertNotNull(small.notice());
        assertTrue(small.notice().contains("B reached 99") && small.notice().contains("at least 100"), small.notice());
        assertTrue(small.arms().get(0).p() < 0.05, "the test itself would have passed");
    }

    @Test
    void aTieIsTheFirstVariantsAndNoWin() {
        WinnerRule.Outcome tie = WinnerRule.decide(List.of(new WinnerRule.Arm("A", 300, 30), new WinnerRule.Arm("B", 300, 30)), 100, 1);
        assertEquals(0, tie.best());
        assertEquals(1, tie.winner(), "the chosen fallback");
        assertTrue(tie.fellBack());
    }
}
