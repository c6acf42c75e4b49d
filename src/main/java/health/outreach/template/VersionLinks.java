package health.outreach.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import health.outreach.common.Hashing;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * The links a template version sends, each stored once (table template_link): a tracked link in a
 * message is the message's token plus one of these ids. A template's links are nearly always the
 * same for every recipient, so a send finds its ids in memory and writes nothing; a link built from
 * a person's data gets a row the first time that URL is seen. The table only grows; a stored URL
 * never changes, so a click can only ever lead where the template sent it.
 */
@Singleton
public class VersionLinks {

    private record Key(long versionId, String url) {
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final Cache<Key, Long> ids = Caffeine.newBuilder().maximumSize(20_000).build();

    VersionLinks(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The id of this URL in this version, stored on first use (by whichever node is first). */
    public long idFor(long versionId, String url) {
        return ids.get(new Key(versionId, url), k -> lookupOrInsert(k.versionId(), k.url()));
    }

    /** The URL a click on link {@code linkId} of a message sent from {@code versionId} leads to. */
    public Optional<String> url(long versionId, long linkId) {
        return jdbc.queryOne("SELECT url FROM template_link WHERE id = ? AND template_version_id = ?",
                rs -> rs.getString(1), linkId, versionId);
    }

    private long lookupOrInsert(long versionId, String url) {
        String hash = Hashing.sha256Hex(url);
        Optional<Long> found = find(versionId, hash);
        if (found.isPresent()) {
            return found.get();
        }
        jdbc.update("INSERT INTO template_link (template_version_id, url_hash, url, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", versionId, hash, url, clock.instant());
        return find(versionId, hash).orElseThrow(() -> new IllegalStateException("template_link row missing after insert"));
    }

    private Optional<Long> find(long versionId, String hash) {
        return jdbc.queryOne("SELECT id FROM template_link WHERE template_version_id = ? AND url_hash = ?",
                rs -> rs.getLong(1), versionId, hash);
    }
}
