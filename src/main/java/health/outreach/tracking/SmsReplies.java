package health.outreach.tracking;

import health.outreach.contact.Suppressions;
import health.outreach.events.EventLog;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.delivery.Replies;
import health.outreach.events.Metric;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an inbound text does. STOP and its equivalents opt out with one confirmation text (only when
 * the state changes, so repeated STOPs are not answered again); START opts back in with the opt-in
 * confirmation, which says how to stop; HELP gets the help reply; a text that is about our messages
 * but not clearly an opt-out is kept as a reply and answered once with how to stop; anything else is
 * kept as a reply. A feature may take a text first ({@link InboundTexts}: sign-up keywords, YES to a
 * pending sign-up), never an opt-out or HELP. Every consent change is in the consent ledger with the
 * text as evidence. Call inside a transaction.
 */
@Singleton
class SmsReplies {

    private final Jdbc jdbc;
    private final ConsentLedger ledger;
    private final Replies replies;
    private final EventLog events;
    private final Clock clock;
    private final Suppressions suppressions;
    private final List<InboundTexts> features;

    SmsReplies(Jdbc jdbc, ConsentLedger ledger, Replies replies, EventLog events, Clock clock, Suppressions suppressions,
               List<InboundTexts> features) {
        this.suppressions = suppressions;
        this.features = features;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.replies = replies;
        this.events = events;
        this.clock = clock;
    }

    /** The library template that tells someone how to stop. */
    static final String HOW_TO_STOP = "sms-optout-clarify";

    String handle(String phone, String body, String messageSid) {
        SmsKeywords.Intent intent = SmsKeywords.classify(body);
        if (phone != null && intent != SmsKeywords.Intent.OPT_OUT && intent != SmsKeywords.Intent.HELP) {
            for (InboundTexts feature : features) {
                if (feature.handle(phone, body, messageSid)) {
                    return intent.name();
                }
            }
        }
        Optional<Long> contact = phone == null ? Optional.empty()
                : jdbc.queryOne("SELECT id FROM contact WHERE phone = ? AND erased_at IS NULL", rs -> rs.getLong(1), phone);
        Instant now = clock.instant();
        String evidence = "SMS " + messageSid + ": \"" + (body.length() > 500 ? body.substring(0, 500) : body) + "\"";
        if (contact.isEmpty()) {
            if (intent == SmsKeywords.Intent.OPT_OUT && phone != null) {
                // Not a contact (yet): keep the number from ever being texted if it is imported later.
                suppressions.add(new Suppressions.Entry(Channel.SMS, phone, "SMS_STOP", "STOP from an unknown number", now));
            }
            return intent.name();
        }
        long id = contact.get();
        ConsentState state = jdbc.queryOne("SELECT sms_consent FROM contact WHERE id = ?",
                rs -> ConsentState.valueOf(rs.getString(1)), id).orElseThrow();
        Optional<MessageRef> last = lastSms(id);
        switch (intent) {
            case OPT_OUT -> {
                if (state != ConsentState.OPTED_OUT) {
                    ledger.record(id, new ConsentChange(Channel.SMS, ConsentAction.OPT_OUT, "SMS reply", null, evidence,
                            Engagement.CONTACT, last.map(MessageRef::id).orElse(null), now, false));
                    last.ifPresent(m -> events.record("STOPPED", m, now, "stop:" + messageSid, Map.of("text", body),
                            List.of(Metric.UNSUBSCRIBED)));
                    replies.queue(id, Channel.SMS, "sms-stop-confirmation");
                }
            }
            case OPT_IN -> {
                if (state != ConsentState.OPTED_IN) {
                    ledger.record(id, new ConsentChange(Channel.SMS, ConsentAction.OPT_IN, "SMS reply", body, evidence,
                            Engagement.CONTACT, null, now, true));
                    replies.queue(id, Channel.SMS, "optin-confirmation-sms");
                }
            }
            case HELP -> replies.queue(id, Channel.SMS, "sms-help-reply");
            case AMBIGUOUS -> {
                reply(id, last, body, messageSid, now);
                // Asked once: not again until we have texted them something else, so that an
                // auto-responder or a string of questions does not get a string of answers.
                if (state != ConsentState.OPTED_OUT && !lastTextWasHowToStop(id)) {
                    replies.queue(id, Channel.SMS, HOW_TO_STOP);
                }
            }
            case REPLY -> reply(id, last, body, messageSid, now);
        }
        return intent.name();
    }

    /** Kept against the last text we sent them (and counted for its campaign), else against the contact alone. */
    private void reply(long contactId, Optional<MessageRef> last, String body, String messageSid, Instant now) {
        String text = body.length() > 500 ? body.substring(0, 500) : body;
        if (last.isPresent()) {
            events.record("REPLIED", last.get(), now, "reply:" + messageSid, Map.of("text", text), List.of(Metric.REPLIED));
        } else {
            events.recordForContact("REPLIED", contactId, null, Channel.SMS, now, "reply:" + messageSid, Map.of("text", text));
        }
    }

    private boolean lastTextWasHowToStop(long contactId) {
        // Messages planned ahead count from when they are sent, not from when they were planned.
        return jdbc.queryOne("SELECT t.library_key FROM message m LEFT JOIN template_version v ON v.id = m.template_version_id "
                        + "LEFT JOIN template t ON t.id = v.template_id WHERE m.contact_id = ? AND m.channel = 'SMS' "
                        + "ORDER BY COALESCE(m.sent_at, m.created_at) DESC, m.id DESC LIMIT 1",
                rs -> HOW_TO_STOP.equals(rs.getString(1)), contactId).orElse(false);
    }

    private Optional<MessageRef> lastSms(long contactId) {
        return jdbc.queryOne(MessageRef.SELECT + "WHERE m.contact_id = ? AND m.channel = 'SMS' AND m.sent_at IS NOT NULL "
                + "ORDER BY m.sent_at DESC LIMIT 1", MessageRef::map, contactId);
    }
}
