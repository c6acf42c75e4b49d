package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.template.TemplateStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/**
 * Replies that are not campaign messages (the STOP confirmation, the HELP answer, an opt-in
 * confirmation, a request to confirm a sign-up): queued in the same outbox, sent by the same dispatchers, at any hour and whatever
 * the consent (a STOP confirmation goes to someone who just opted out), recorded like any message.
 */
@Singleton
public class Replies {

    private final Jdbc jdbc;
    private final TemplateStore templates;
    private final Clock clock;

    public Replies(Jdbc jdbc, TemplateStore templates, Clock clock) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.clock = clock;
    }

    /** Queues the current version of a library template for one contact; false when the library lacks it. */
    public boolean queue(long contactId, Channel channel, String libraryKey) {
        return insert(contactId, channel, libraryKey, "TRANSACTIONAL", clock.instant()) != null;
    }

    /**
     * Queues a request to confirm a sign-up (or its one reminder), due at {@code dueAt}: the caller
     * decides the hour, since only some of these answer the person directly. It differs from other
     * replies in one rule, checked at claim: it goes only while the channel's consent is PENDING, so
     * a STOP, an unsubscribe or a confirmation in the meantime cancels it. Answers the message id, or
     * null when the library lacks the template.
     */
    public Long queueConfirmation(long contactId, Channel channel, String libraryKey, Instant dueAt) {
        return insert(contactId, channel, libraryKey, Claimed.CONFIRMATION, dueAt);
    }

    private Long insert(long contactId, Channel channel, String libraryKey, String kind, Instant dueAt) {
        var template = templates.findByLibraryKey(libraryKey);
        if (template.isEmpty()) {
            return null;
        }
        long versionId = templates.version(template.get().id(), template.get().currentVersion()).orElseThrow().id();
        Instant now = clock.instant();
        return jdbc.insert("INSERT INTO message (contact_id, channel, kind, template_version_id, status, due_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)", contactId, channel, kind, versionId, dueAt, now, now);
    }
}
