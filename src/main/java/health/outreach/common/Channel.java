package health.outreach.common;

/** How a message reaches a person. Consent, suppression and quiet hours are all per channel. */
public enum Channel {
    EMAIL, SMS
}
