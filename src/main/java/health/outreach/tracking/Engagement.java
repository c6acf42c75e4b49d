package health.outreach.tracking;

import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.report.Metric;
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
    private final Events events;
    private final ConsentLedger ledger;
    private final Clock clock;

    public Engagement(Jdbc jdbc, Events events, ConsentLedger ledger, Clock clock) {
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
        boolean first = jdbc.update("UPDATE message SET clicked_at = ? WHERE id = ? AND clicked_at IS NULL", now, m.id()) == 1;
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
        if (jdbc.update("UPDATE message SET opened_at = ? WHERE id = ? AND opened_at IS NULL", now, m.id()) == 1) {
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
        ConsentState current = jdbc.queryOne("SELECT " + m.channel().consentColumn() + " FROM contact WHERE id = ?",
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
