package health.outreach.program;

import health.outreach.audit.AuditLog;
import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.config.ReportSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names the program gives its regions. Reports group people by the first digits of their postal
 * code (as many as {@code outreach.reports.region-prefix-length}); a name is for one such prefix, and
 * a prefix without a name is shown as itself.
 */
@Singleton
public class RegionNames {

    @Serdeable
    public record Region(String prefix, String name) {
    }

    private final Jdbc jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final int prefixLength;

    RegionNames(Jdbc jdbc, AuditLog audit, Clock clock, ReportSettings settings) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
        this.prefixLength = settings.regionPrefixLength();
    }

    public List<Region> list() {
        return jdbc.query("SELECT prefix, name FROM region_name ORDER BY prefix", rs -> new Region(rs.getString(1), rs.getString(2)));
    }

    /** Prefix to name. */
    public Map<String, String> names() {
        Map<String, String> names = new LinkedHashMap<>();
        list().forEach(r -> names.put(r.prefix(), r.name()));
        return names;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** Adds a name or renames the prefix; audited. @throws ProblemException naming each bad field */
    @Transactional
    public Region save(@Nullable String prefix, @Nullable String name) {
        Region r = valid(prefix, name);
        if (jdbc.update("UPDATE region_name SET name = ?, updated_at = ? WHERE prefix = ?", r.name(), clock.instant(), r.prefix()) == 0) {
            jdbc.update("INSERT INTO region_name (prefix, name, updated_at) VALUES (?, ?, ?)", r.prefix(), r.name(), clock.instant());
        }
        audit.record("region.save", "region", r.prefix(), Map.of("name", r.name()));
        return r;
    }

    /** @return false when the prefix had no name */
    @Transactional
    public boolean delete(@Nullable String prefix) {
        String p = normalise(prefix);
        boolean deleted = jdbc.update("DELETE FROM region_name WHERE prefix = ?", p) == 1;
        if (deleted) {
            audit.record("region.delete", "region", p, Map.of());
        }
        return deleted;
    }

    /** The demo data's names, on a first start: a prefix that has a name keeps it. */
    public void seed(List<Region> regions) {
        for (Region r : regions) {
            Region v = valid(r.prefix(), r.name());
            jdbc.update("INSERT INTO region_name (prefix, name, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    v.prefix(), v.name(), clock.instant());
        }
    }

    private Region valid(@Nullable String prefix, @Nullable String name) {
        List<FieldError> errors = new ArrayList<>();
        String p = normalise(prefix);
        if (p.length() != prefixLength) {
            errors.add(FieldError.of("prefix", "the first " + prefixLength + " letters or digits of a postal code, like "
                    + "90210".substring(0, Math.min(prefixLength, 5))));
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 100) {
            errors.add(FieldError.of("name", "required, at most 100 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Region(p, n);
    }

    /** As reports key regions: letters and digits only, upper case. */
    static String normalise(@Nullable String prefix) {
        return prefix == null ? "" : prefix.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
    }
}
