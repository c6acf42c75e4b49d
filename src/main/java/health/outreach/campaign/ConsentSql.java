package health.outreach.campaign;

import health.outreach.contact.ContactColumns;
import health.outreach.common.Channel;

/**
 * "May this contact receive campaign messages on this channel right now", as SQL over contact
 * alias {@code c}: consent OPTED_IN, an address, not erased, not paused, not suppressed. The same
 * predicate selects recipients at enrollment and is re-checked when a message is claimed.
 * One bind parameter: the current instant (for the preference-centre pause).
 */
public final class ConsentSql {

    private ConsentSql() {
    }

    public static String reachable(Channel channel) {
        String address = channel == Channel.EMAIL ? "c.email" : "c.phone";
        return "(c." + ContactColumns.consent(channel) + " = 'OPTED_IN' AND " + address + " IS NOT NULL AND c.erased_at IS NULL"
                + " AND (c.paused_until IS NULL OR c.paused_until < ?)"
                + " AND NOT EXISTS (SELECT 1 FROM suppression s WHERE s.channel = '" + channel.name()
                + "' AND s.address_hash = c." + ContactColumns.addressHash(channel) + "))";
    }
}
