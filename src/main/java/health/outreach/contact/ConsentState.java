package health.outreach.contact;

/** A contact's current consent for one channel; only OPTED_IN may receive campaign messages. */
public enum ConsentState {
    NONE, PENDING, OPTED_IN, OPTED_OUT
}
