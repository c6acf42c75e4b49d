package health.outreach.tracking;

import health.outreach.contact.ContactStore;
import health.outreach.contact.ContactColumns;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.AttributeDefinitions;
import health.outreach.contact.AttributeType;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The preference centre's effect. Channel choices go through the consent ledger (the person's own
 * action, so they may opt back in), language sets the contact's locale, a pause holds every message
 * until it ends, topics are kept as the contact attribute {@code topics} for segments to use.
 */
@Singleton
public class Preferences {

    public static final List<String> TOPICS = List.of("spine_tips", "appointments", "events");
    public static final List<Integer> PAUSES = List.of(0, 2, 4, 8);

    public record Current(boolean hasEmail, boolean hasPhone, boolean emailOn, boolean smsOn, String language,
                          Set<String> topics, Instant pausedUntil) {
    }

    private final Jdbc jdbc;
    private final ConsentLedger ledger;
    private final AttributeDefinitions attributes;
    private final Clock clock;
    private final ContactStore contacts;

    public Preferences(Jdbc jdbc, ConsentLedger ledger, AttributeDefinitions attributes, Clock clock, ContactStore contacts) {
        this.contacts = contacts;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.attributes = attributes;
        this.clock = clock;
    }

    public Current current(MessageRef m) {
        String topics = jdbc.queryOne("SELECT text_value FROM contact_attribute WHERE contact_id = ? AND name = 'topics'",
                rs -> rs.getString(1), m.contactId()).orElse(String.join(",", TOPICS));
        return jdbc.queryOne("SELECT email, phone, email_consent, sms_consent, locale, paused_until FROM contact WHERE id = ?",
                rs -> new Current(rs.getString(1) != null, rs.getString(2) != null, "OPTED_IN".equals(rs.getString(3)),
                        "OPTED_IN".equals(rs.getString(4)), health.outreach.web.PageRenderer.language(rs.getString(5)),
                        new LinkedHashSet<>(Arrays.asList(topics.split(","))), Jdbc.instant(rs, "paused_until")),
                m.contactId()).orElseThrow();
    }

    @Transactional
    public void apply(MessageRef m, boolean email, boolean sms, String language, int pauseWeeks, Set<String> topics) {
        Instant now = clock.instant();
        Current before = current(m);
        String evidence = "preferences page, message " + m.id();
        consent(m, Channel.EMAIL, before.hasEmail(), before.emailOn(), email, now, evidence);
        consent(m, Channel.SMS, before.hasPhone(), before.smsOn(), sms, now, evidence);
        attributes.define("topics", AttributeType.STRING);
        contacts.setPreferences(m.contactId(), language.equals(before.language()) ? null : language,
                pauseWeeks == 0 ? null : now.plus(Duration.ofDays(7L * pauseWeeks)), String.join(",", topics), now);
    }

    private void consent(MessageRef m, Channel channel, boolean hasAddress, boolean on, boolean wanted, Instant now, String evidence) {
        if (!hasAddress || on == wanted) {
            return;
        }
        if (wanted && channel != m.channel()) {
            // Whoever holds this link controls the address it was sent to, not the other one: a forwarded
            // email must not sign a phone up for texts (or undo its STOP). Texts start with a texted START.
            return;
        }
        ConsentState state = jdbc.queryOne("SELECT " + ContactColumns.consent(channel) + " FROM contact WHERE id = ?",
                rs -> ConsentState.valueOf(rs.getString(1)), m.contactId()).orElseThrow();
        if (!wanted && state == ConsentState.NONE) {
            return; // nothing to withdraw
        }
        ledger.record(m.contactId(), new ConsentChange(channel, wanted ? ConsentAction.OPT_IN : ConsentAction.OPT_OUT,
                "preference centre", wanted ? "Chose to receive " + channel.name().toLowerCase() + " on the preferences page" : null,
                evidence, Engagement.CONTACT, m.id(), now, true));
    }
}
