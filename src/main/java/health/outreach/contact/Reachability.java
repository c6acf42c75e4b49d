package health.outreach.contact;

import health.outreach.common.Channel;

import java.time.Instant;

/**
 * The one rule for "may this contact receive campaign messages on this channel now": consent
 * OPTED_IN, an address, not erased, not paused by the person, the address not suppressed. Two forms
 * of it live here side by side, kept equal by a test over every combination: {@link #sql} selects
 * recipients at enrollment and fan-out, {@link #of} decides a claimed message again just before it
 * is sent (consent may have changed since), naming the reason so the outbox can say why.
 */
public final class Reachability {

    /** Why a contact may not be written to now, or REACHABLE. Checked in this order. */
    public enum Verdict { NO_ADDRESS, SUPPRESSED, NO_CONSENT, PAUSED, REACHABLE }

    private Reachability() {
    }

    /**
     * The rule as SQL over contact alias {@code c}, with one bind parameter: the current instant
     * (for the preference-centre pause).
     */
    public static String sql(Channel channel) {
        String address = channel == Channel.EMAIL ? "c.email" : "c.phone";
        return "(c." + ContactColumns.consent(channel) + " = 'OPTED_IN' AND " + address + " IS NOT NULL AND c.erased_at IS NULL"
                + " AND (c.paused_until IS NULL OR c.paused_until < ?)"
                + " AND NOT EXISTS (SELECT 1 FROM suppression s WHERE s.channel = '" + channel.name()
                + "' AND s.address_hash = c." + ContactColumns.addressHash(channel) + "))";
    }

    /** The rule over one contact's loaded facts for the channel. */
    public static Verdict of(ConsentState consent, String address, Instant erasedAt, Instant pausedUntil, boolean suppressed,
                             Instant now) {
        if (erasedAt != null || address == null) {
            return Verdict.NO_ADDRESS;
        }
        if (suppressed) {
            return Verdict.SUPPRESSED;
        }
        if (consent != ConsentState.OPTED_IN) {
            return Verdict.NO_CONSENT;
        }
        if (pausedUntil != null && !pausedUntil.isBefore(now)) {
            return Verdict.PAUSED;
        }
        return Verdict.REACHABLE;
    }
}
