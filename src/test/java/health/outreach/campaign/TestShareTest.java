package health.outreach.campaign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who is in a step's test share: a pure function of the ids, near the percent, independent of the variant. */
class TestShareTest {

    private static final long STEP = 4711;

    @Test
    void membershipIsStableAndNearThePercentOnTenThousandContacts() {
        int in = 0;
        int inAndA = 0;
        int a = 0;
        for (long contact = 1; contact <= 10_000; contact++) {
            boolean member = VariantAssignment.inTest(STEP, contact, 20);
            assertEquals(member, VariantAssignment.inTest(STEP, contact, 20), "a second call (a retry, another node) agrees");
            boolean armA = VariantAssignment.pick(List.of(50, 50), STEP, contact) == 0;
            if (member) {
                in++;
                if (armA) {
                    inAndA++;
                }
            }
            if (armA) {
                a++;
            }
            // A larger share only adds people: nobody in the 20% share is outside the 30% one.
            assertTrue(!member || VariantAssignment.inTest(STEP, contact, 30));
        }
        // Binomial(10 000, 0.2): sd = 40; 4 sd either side.
        assertTrue(Math.abs(in - 2_000) <= 160, "in the 20% share: " + in);
        // Within the share the split holds (independent bits of the hash): Binomial(~2000, 0.5), sd ≈ 22.
        assertTrue(Math.abs(inAndA - in / 2.0) <= 90, "variant A within the share: " + inAndA + " of " + in);
        assertTrue(Math.abs(a - 5_000) <= 200, "variant A overall: " + a);
    }

    @Test
    void membershipDependsOnTheStep() {
        int same = 0;
        for (long contact = 1; contact <= 10_000; contact++) {
            if (VariantAssignment.inTest(STEP, contact, 50) == VariantAssignment.inTest(STEP + 1, contact, 50)) {
                same++;
            }
        }
        assertTrue(Math.abs(same - 5_000) <= 200, "two steps' shares agree by chance only: " + same);
    }

    @Test
    void theEdgesHoldEveryoneOrNobody() {
        for (long contact = 1; contact <= 1_000; contact++) {
            assertTrue(!VariantAssignment.inTest(STEP, contact, 0));
            assertTrue(VariantAssignment.inTest(STEP, contact, 100));
        }
    }
}
