package health.outreach.contact;

/** What a consent ledger entry records; each moves the current state to {@link #result()}. */
public enum ConsentAction {
    OPT_IN(ConsentState.OPTED_IN),
    CONFIRM(ConsentState.OPTED_IN),
    PENDING(ConsentState.PENDING),
    OPT_OUT(ConsentState.OPTED_OUT);

    private final ConsentState result;

    ConsentAction(ConsentState result) {
        this.result = result;
    }

    public ConsentState result() {
        return result;
    }

    /** Whether this action would take a person who opted out back towards receiving messages. */
    public boolean reopens(ConsentState current) {
        return current == ConsentState.OPTED_OUT && result != ConsentState.OPTED_OUT;
    }
}
