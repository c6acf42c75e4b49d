package health.outreach.campaign;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Which variant of a step a contact gets: SHA-256 of (step id, contact id) read as an unsigned
 * 64-bit number, reduced to a bucket in [0, 100), and the bucket walked along the cumulative split
 * (A takes buckets 0 to its percent − 1, B the next ones, …). A pure function of the two ids, so every
 * node, restart, retry and re-enrollment computes the same arm; the step id in the hash keeps a
 * person's arm on one step independent of their arm on another. The holdout is decided before this
 * and never reaches it.
 */
public final class VariantAssignment {

    private VariantAssignment() {
    }

    /** The contact's bucket in [0, 100) on this step. */
    public static int bucket(long stepId, long contactId) {
        long high = ByteBuffer.wrap(sha256(key(stepId, contactId))).getLong();
        // 2^64 is not a multiple of 100; the bias this leaves is below 1e-17 per bucket.
        return (int) Long.remainderUnsigned(high, 100);
    }

    /**
     * Whether the contact is in the step's test share (the part that gets the variants before a
     * winner is picked): the hash's second 8 bytes, unsigned, modulo 100, below {@code percent}. The
     * bytes the variant bucket does not read, so membership is as stable as the variant and
     * independent of it: the test share keeps the variants' split.
     */
    public static boolean inTest(long stepId, long contactId, int percent) {
        long low = ByteBuffer.wrap(sha256(key(stepId, contactId))).getLong(8);
        return Long.remainderUnsigned(low, 100) < percent;
    }

    /** The index of the variant whose share holds the contact's bucket; {@code percents} sum to 100. */
    public static int pick(List<Integer> percents, long stepId, long contactId) {
        int bucket = bucket(stepId, contactId);
        int upTo = 0;
        for (int i = 0; i < percents.size(); i++) {
            upTo += percents.get(i);
            if (bucket < upTo) {
                return i;
            }
        }
        throw new IllegalArgumentException("variant shares must sum to 100: " + percents);
    }

    private static byte[] key(long stepId, long contactId) {
        return ByteBuffer.allocate(16).putLong(stepId).putLong(contactId).array();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
