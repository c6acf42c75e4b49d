package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.delivery.Replies;
import health.outreach.tracking.InboundTexts;
import health.outreach.tracking.SmsKeywords;
import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sign-ups by text: YES (or any opt-in word) from someone asked to confirm confirms, and a form's
 * keyword starts its SMS opt-in. Other texts go on to the ordinary replies.
 */
@Singleton
class SmsSignups implements InboundTexts {

    /** After YES, the CTIA opt-in confirmation: what they get, how often, HELP and STOP. */
    static final String OPTED_IN_TEMPLATE = "optin-confirmation-sms";
    private static final Pattern WORD = Pattern.compile("[A-Z0-9]{2,20}");

    private final Signups signups;
    private final FormService forms;
    private final Replies replies;

    SmsSignups(Signups signups, FormService forms, Replies replies) {
        this.signups = signups;
        this.forms = forms;
        this.replies = replies;
    }

    @Override
    public boolean handle(String phone, String body, String messageSid) {
        String text = body == null ? "" : body.strip();
        if (SmsKeywords.classify(text) == SmsKeywords.Intent.OPT_IN) {
            Optional<SignupRequests.Request> open = signups.pendingForPhone(phone);
            if (open.isEmpty()) {
                return false; // an ordinary START: the keyword rules opt them in
            }
            String evidence = "SMS " + messageSid + ": \"" + (text.length() > 200 ? text.substring(0, 200) : text) + "\"";
            Optional<SignupRequests.Request> confirmed = signups.confirm(open.get().id(), evidence, open.get().messageId());
            confirmed.ifPresent(r -> replies.queue(r.contactId(), Channel.SMS, OPTED_IN_TEMPLATE));
            return confirmed.isPresent();
        }
        // "Join!", " join " and "JOIN." are the keyword JOIN; longer texts are not keywords
        String word = text.replaceAll("^[\\p{Punct}\\s]+|[\\p{Punct}\\s]+$", "").toUpperCase(Locale.ROOT);
        if (!WORD.matcher(word).matches()) {
            return false;
        }
        return forms.byKeyword(word).map(e -> {
            signups.startByKeyword(e.getKey(), e.getValue(), word, phone, messageSid);
            return true;
        }).orElse(false);
    }
}
