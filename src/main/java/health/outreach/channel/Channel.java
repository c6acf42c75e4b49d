package health.outreach.channel;

/** How a message reaches a person. Consent, suppression and quiet hours are all per channel. */
public enum Channel {
    EMAIL, SMS;

    /** The contact column holding this channel's current consent. */
    public String consentColumn() {
        return this == EMAIL ? "email_consent" : "sms_consent";
    }

    /** The contact column holding this channel's address hash (joined against suppression). */
    public String hashColumn() {
        return this == EMAIL ? "email_hash" : "phone_hash";
    }
}
