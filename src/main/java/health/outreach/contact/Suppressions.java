package health.outreach.contact;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses never to message again (a hard bounce, a STOP, an erasure), kept as hashes so an
 * erased person's address is not stored. The one writer of the suppression table; the first reason
 * recorded for an address stays.
 */
@Singleton
public class Suppressions {

    /** One address to suppress, with why and where that came from. */
    public record Entry(Channel channel, String address, String reason, String source, Instant at) {
    }

    private static final String INSERT = "INSERT INTO suppression (channel, address_hash, reason, source, created_at) "
            + "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM suppression WHERE channel = ? AND address_hash = ?)";

    private final Jdbc jdbc;

    public Suppressions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** In the caller's transaction; a blank address suppresses nothing. */
    public void add(Entry entry) {
        addAll(List.of(entry));
    }

    public void addAll(List<Entry> entries) {
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.address() == null || e.address().isBlank()) {
                continue;
            }
            String hash = ContactStore.hash(e.address());
            String source = e.source().length() > 200 ? e.source().substring(0, 200) : e.source();
            rows.add(new Object[]{e.channel(), hash, e.reason(), source, e.at(), e.channel(), hash});
        }
        if (rows.size() == 1) {
            jdbc.update(INSERT, rows.get(0));
        } else if (!rows.isEmpty()) {
            jdbc.batch(INSERT, rows);
        }
    }
}
