package health.outreach.delivery;

/**
 * What a provider did with one message. The dispatcher's only input for what happens next:
 * SENT moves on, TRANSIENT retries with backoff, PERMANENT fails (and may suppress the address),
 * UNKNOWN means the provider may have accepted it and nobody can tell: recorded, never retried blindly.
 */
public sealed interface SendOutcome {

    record Sent(String providerId) implements SendOutcome {
    }

    record Transient(String reason) implements SendOutcome {
    }

    record Permanent(String reason, boolean suppressAddress) implements SendOutcome {
    }

    record Unknown(String reason) implements SendOutcome {
    }
}
