package health.outreach.delivery;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.template.TemplateStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/**
 * Replies that are not campaign messages (the STOP confirmation, the HELP answer, an opt-in
 * confirmation): queued in the same outbox, sent by the same dispatchers, at any hour and whatever
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
        var template = templates.findByLibraryKey(libraryKey);
        if (template.isEmpty()) {
            return false;
        }
        long versionId = templates.version(template.get().id(), template.get().currentVersion()).orElseThrow().id();
        Instant now = clock.instant();
        jdbc.update("INSERT INTO message (contact_id, channel, kind, template_version_id, status, due_at, created_at, updated_at) "
                + "VALUES (?, ?, 'TRANSACTIONAL', ?, 'PENDING', ?, ?, ?)", contactId, channel, versionId, now, now, now);
        return true;
    }
}
