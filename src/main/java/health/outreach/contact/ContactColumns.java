package health.outreach.contact;

import health.outreach.common.Channel;

/** The contact columns that hold a channel's state: its current consent, and its address hash (joined against suppression). */
public final class ContactColumns {

    private ContactColumns() {
    }

    public static String consent(Channel channel) {
        return channel == Channel.EMAIL ? "email_consent" : "sms_consent";
    }

    public static String addressHash(Channel channel) {
        return channel == Channel.EMAIL ? "email_hash" : "phone_hash";
    }
}
