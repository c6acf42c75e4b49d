package health.outreach.contact;

import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attribute name → type. A type never changes once defined, so definitions are cached; a miss
 * re-reads the table (another node may have defined it) before the caller infers a new type.
 */
@Singleton
public class AttributeDefinitions {

    private final Jdbc jdbc;
    private final Clock clock;
    private final Map<String, AttributeType> cache = new ConcurrentHashMap<>();

    public AttributeDefinitions(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The declared type, or null when the attribute has never been seen. */
    public AttributeType typeOf(String name) {
        AttributeType type = cache.get(name);
        if (type == null) {
            type = jdbc.queryOne("SELECT data_type FROM attribute_def WHERE name = ?",
                    rs -> AttributeType.valueOf(rs.getString(1)), name).orElse(null);
            if (type != null) {
                cache.put(name, type);
            }
        }
        return type;
    }

    /** Declares a new attribute; if another caller declared it first, theirs wins and is answered. */
    public AttributeType define(String name, AttributeType type) {
        AttributeType existing = typeOf(name);
        if (existing != null) {
            return existing;
        }
        try {
            jdbc.update("INSERT INTO attribute_def (name, data_type, created_at) VALUES (?, ?, ?)",
                    name, type.name(), clock.instant());
        } catch (Jdbc.DataAccessFailure e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
        }
        cache.remove(name);
        return typeOf(name);
    }

    public Map<String, AttributeType> all() {
        return jdbc.query("SELECT name, data_type FROM attribute_def ORDER BY name",
                rs -> Map.entry(rs.getString(1), AttributeType.valueOf(rs.getString(2)))).stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                        (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
