package health.outreach.delivery;

/**
 * What a provider did with one message: the dispatcher's only input for what happens next.
 * SENT moves on; TRANSIENT (this message, for now: greylisting, a full mailbox) retries with
 * backoff until the time budget runs out; PERMANENT fails (and may suppress the address);
 * UNAVAILABLE means the provider itself could not be used (connection refused, timeouts, a relay
 * closing with 421): the message goes back untouched and the channel backs off; UNKNOWN means the
 * provider may have accepted it and nobody can tell: recorded for an operator, never retried blindly.
 */
public sealed interface SendOutcome {

    record Sent(String providerId) implements SendOutcome {
    }

    record Transient(String reason) implements SendOutcome {
    }

    record Permanent(String reason, boolean suppressAddress) implements SendOutcome {
    }

    record Unavailable(String reason) implements SendOutcome {
    }

    record Unknown(String reason) implements SendOutcome {
    }
}
