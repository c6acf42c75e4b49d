package health.outreach.contact;

import java.time.Instant;

/**
 * Told, inside the erasure's transaction, that a person was erased: each feature that keeps rows
 * about people (the outbox, captured messages) removes or closes its own.
 */
public interface ErasureListener {

    void erased(long contactId, Instant at);
}
