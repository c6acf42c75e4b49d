package health.outreach.tracking;

import health.outreach.delivery.MessageChanges;
import health.outreach.events.EventLog;
import health.outreach.contact.ContactColumns;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.events.Metric;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What community members do with a message: clicks, opens, unsubscribes. Each write is one transaction. */
@Singleton
public class Engagement {

    public static final String CONTACT = "contact";

    private final Jdbc jdbc;
    private final EventLog events;
    private final ConsentLedger ledger;
    private final Clock clock;
    private final MessageChanges messages;

    public Engagement(Jdbc jdbc, EventLog events, ConsentLedger ledger, Clock clock, MessageChanges messages) {
        this.messages = messages;
        this.jdbc = jdbc;
        this.events = events;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** A click: counted always, and once more as unique the first time this message is clicked. */
    @Transactional
    public void click(Tokens.Click click) {
        Instant now = clock.instant();
        MessageRef m = click.message();
        if (click.perMessageRow()) {
            jdbc.update("UPDATE tracked_link SET clicks = clicks + 1, first_clicked_at = COALESCE(first_clicked_at, ?) "
                    + "WHERE message_id = ? AND link_index = ?", now, m.id(), click.link());
        }
        boolean first = messages.firstClick(m.id(), now);
        List<Metric> metrics = new ArrayList<>(List.of(Metric.CLICKED));
        if (first) {
            metrics.add(Metric.CLICKED_UNIQUE);
        }
        events.record("CLICKED", m, now, null, Map.of("link", click.link()), metrics);
    }

    /** An open (pixel), counted once per message; only when open tracking is switched on. */
    @Transactional
    public void open(MessageRef m) {
        Instant now = clock.instant();
        if (messages.firstOpen(m.id(), now)) {
            events.record("OPENED", m, now, null, null, List.of(Metric.OPENED));
        }
    }

    /**
     * Opts the person out of the message's channel, honoured at once: the ledger entry carries the
     * source and evidence, pending messages on that channel are skipped at claim. Idempotent.
     *
     * @return true when this call changed the consent (false when they had already opted out)
     */
    @Transactional
    public boolean unsubscribe(MessageRef m, String source, String evidence) {
        ConsentState current = jdbc.queryOne("SELECT " + ContactColumns.consent(m.channel()) + " FROM contact WHERE id = ?",
                rs -> ConsentState.valueOf(rs.getString(1)), m.contactId()).orElseThrow();
        if (current == ConsentState.OPTED_OUT) {
            return false;
        }
        Instant now = clock.instant();
        ledger.record(m.contactId(), new ConsentChange(m.channel(), ConsentAction.OPT_OUT, source, null, evidence, CONTACT,
                m.id(), now, false));
        events.record("UNSUBSCRIBED", m, now, "unsubscribe:" + m.id() + ":" + m.channel(), Map.of("source", source),
                List.of(Metric.UNSUBSCRIBED));
        return true;
    }


}
