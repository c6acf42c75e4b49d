package health.outreach.delivery;

import health.outreach.contact.Reachability;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What is decided about a claimed message before anything is rendered or sent: the person may not
 * (or may no longer) be written to, or not now. Consent was already part of the SQL that chose the
 * recipients; it is checked again here, by the same rule ({@link Reachability}), because it may have
 * changed since (an opt-out, a bounce, a booking that stopped the rest of the campaign, a pause).
 */
@Singleton
final class ClaimChecks {

    private final DeliveryWindows windows;

    ClaimChecks(DeliveryWindows windows) {
        this.windows = windows;
    }

    /** The result for a message that must not go now, or null when it may. */
    Recorder.Result hold(Claimed c, Instant now) {
        Reachability.Verdict verdict = Reachability.of(c.consent(), c.address(), c.erasedAt(), c.pausedUntil(), c.suppressed(), now);
        if (verdict == Reachability.Verdict.NO_ADDRESS) {
            return skip(c, "no address (contact erased or address removed)");
        }
        if (verdict == Reachability.Verdict.SUPPRESSED) {
            return skip(c, "address suppressed");
        }
        if (c.confirmation()) {
            // Asking someone to confirm is the one message a PENDING person may get, and only while
            // they are PENDING: not after a STOP or an unsubscribe, not once they have confirmed.
            // Its hour was chosen when it was queued (a reminder waits for the channel's window).
            return c.consent() == health.outreach.contact.ConsentState.PENDING ? null
                    : skip(c, "no confirmation pending for " + c.channel() + " (" + c.consent() + ")");
        }
        if (!c.campaign()) {
            return null; // replies to STOP or HELP go out whatever the consent, at any hour
        }
        if (c.holdout()) {
            return skip(c, "holdout contact");
        }
        if ("STOPPED".equals(c.enrollmentStatus())) {
            return skip(c, "enrollment stopped (booked or opted out)");
        }
        if (verdict == Reachability.Verdict.NO_CONSENT) {
            return skip(c, "no consent for " + c.channel() + " (" + c.consent() + ")");
        }
        if (verdict == Reachability.Verdict.PAUSED) {
            return new Recorder.Result(c, Recorder.Kind.RESCHEDULE, "paused by the contact", null, c.pausedUntil(), false);
        }
        ZoneId zone = ZoneId.of(c.zone());
        Instant allowed = windows.forChannel(c.channel()).nextAllowed(now, zone);
        if (!allowed.equals(now)) {
            return new Recorder.Result(c, Recorder.Kind.RESCHEDULE, "quiet hours in " + zone, null, allowed, false);
        }
        return null;
    }

    /** When a retry of this message may go: its backoff, moved out of the recipient's quiet hours. */
    Instant allowedAfter(Claimed c, Instant due) {
        return windows.forChannel(c.channel()).nextAllowed(due, ZoneId.of(c.zone()));
    }

    private static Recorder.Result skip(Claimed c, String reason) {
        return new Recorder.Result(c, Recorder.Kind.SKIPPED, reason, null, null, false);
    }
}
