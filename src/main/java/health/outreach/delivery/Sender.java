package health.outreach.delivery;

import health.outreach.template.RenderException;

import java.time.Clock;
import java.time.Instant;
import java.util.Random;

/**
 * Renders one claimed message, hands it to its channel's messenger, and turns the answer into what
 * is recorded, telling the channel's circuit what it learned about the provider on the way.
 */
final class Sender {

    private final MessageBuilder builder;
    private final ClaimChecks checks;
    private final RetryPolicy retry;
    private final Clock clock;

    Sender(MessageBuilder builder, ClaimChecks checks, DispatchSettings settings, Clock clock) {
        this.builder = builder;
        this.checks = checks;
        this.retry = new RetryPolicy(settings.retryBase(), settings.retryMax(), settings.giveUpAfter(), new Random());
        this.clock = clock;
    }

    /** {@code handover}: passed just before the message is handed over for good (see {@link Messenger.Handover}). */
    Recorder.Result send(Claimed c, Messenger messenger, ChannelCircuit circuit, Messenger.Handover handover) {
        MessageBuilder.Built built;
        try {
            built = builder.build(c);
        } catch (RenderException e) {
            return result(c, Recorder.Kind.FAILED_PERMANENT, "template could not render: " + e.getMessage(), null);
        }
        if (messenger == null) {
            circuit.unavailable("no " + c.channel() + " transport configured");
            return result(c, Recorder.Kind.RESCHEDULE, "no " + c.channel() + " transport configured", circuit.reopensAt());
        }
        Gate gate = new Gate(handover);
        SendOutcome outcome;
        try {
            outcome = messenger.send(built.message(), gate);
        } catch (RuntimeException e) {
            outcome = new SendOutcome.Unknown("the transport failed unexpectedly: " + e);
        }
        Instant now = clock.instant();
        if (gate.refused != null) {
            // Held back by the dispatcher, not refused by the provider: the circuit learns nothing.
            return result(c, Recorder.Kind.RESCHEDULE, "not handed over: " + gate.refused.getMessage(), now);
        }
        if (outcome instanceof SendOutcome.Sent s) {
            circuit.success();
            return new Recorder.Result(c, Recorder.Kind.SENT, null, s.providerId(), null, built.carriesOptOutLine());
        }
        if (outcome instanceof SendOutcome.Unavailable u) {
            circuit.unavailable(u.reason());
            return giveUpOr(c, Recorder.Kind.RESCHEDULE, u.reason(), checks.allowedAfter(c, circuit.reopensAt()));
        }
        if (outcome instanceof SendOutcome.Transient t) {
            circuit.refusedForNow(t.reason());
            return giveUpOr(c, Recorder.Kind.RETRY, t.reason(), checks.allowedAfter(c, retry.nextAttempt(now, c.attempts())));
        }
        if (outcome instanceof SendOutcome.Permanent p) {
            circuit.success(); // a refusal of this message: the provider itself is fine
            return result(c, p.suppressAddress() ? Recorder.Kind.BOUNCED : Recorder.Kind.FAILED_PERMANENT, p.reason(), null);
        }
        circuit.refusedForNow(((SendOutcome.Unknown) outcome).reason());
        return result(c, Recorder.Kind.UNKNOWN, ((SendOutcome.Unknown) outcome).reason(), null);
    }

    /** Remembers whether the dispatcher held the message back at its hand-over. */
    private static final class Gate implements Messenger.Handover {
        private final Messenger.Handover inner;
        private RuntimeException refused;

        Gate(Messenger.Handover inner) {
            this.inner = inner;
        }

        @Override
        public void await() {
            try {
                inner.await();
            } catch (RuntimeException e) {
                refused = e;
                throw e;
            }
        }
    }

    /** A message that cannot go now goes again at {@code due}, unless that is past its time budget. */
    private Recorder.Result giveUpOr(Claimed c, Recorder.Kind kind, String reason, Instant due) {
        if (!retry.mayRetry(c.firstAttemptedAt(), due)) {
            return result(c, Recorder.Kind.FAILED_TRANSIENT, "gave up " + humane(retry.budget()) + " after the first attempt: " + reason, null);
        }
        return result(c, kind, reason, due);
    }

    private static String humane(java.time.Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    static Recorder.Result result(Claimed c, Recorder.Kind kind, String reason, Instant due) {
        String r = reason != null && reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason;
        return new Recorder.Result(c, kind, r, null, due, false);
    }
}
