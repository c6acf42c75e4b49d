package health.outreach.template;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Templates, their immutable versions and locale variants. */
@Singleton
public class TemplateStore {

    public record TemplateRow(long id, String name, Channel channel, @Nullable String purpose,
                              @Nullable String description, @Nullable String libraryKey, int currentVersion,
                              boolean archived, Instant createdAt, Instant updatedAt) {
        static TemplateRow map(ResultSet rs) throws SQLException {
            return new TemplateRow(rs.getLong("id"), rs.getString("name"), Channel.valueOf(rs.getString("channel")),
                    rs.getString("purpose"), rs.getString("description"), rs.getString("library_key"),
                    rs.getInt("current_version"), rs.getBoolean("archived"), Jdbc.instant(rs, "created_at"),
                    Jdbc.instant(rs, "updated_at"));
        }
    }

    public record VersionRow(long id, long templateId, int version, List<String> attributes,
                             @Nullable String sourceHash, String createdBy, Instant createdAt) {
        static VersionRow map(ResultSet rs) throws SQLException {
            String attributes = rs.getString("attributes");
            return new VersionRow(rs.getLong("id"), rs.getLong("template_id"), rs.getInt("version"),
                    attributes == null || attributes.isBlank() ? List.of() : Arrays.asList(attributes.split(",")),
                    rs.getString("source_hash"), rs.getString("created_by"), Jdbc.instant(rs, "created_at"));
        }
    }

    private final Jdbc jdbc;
    private final Clock clock;

    public TemplateStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<TemplateRow> list() {
        return jdbc.query("SELECT * FROM template ORDER BY name", TemplateRow::map);
    }

    public Optional<TemplateRow> find(long id) {
        return jdbc.queryOne("SELECT * FROM template WHERE id = ?", TemplateRow::map, id);
    }

    public Optional<TemplateRow> findByName(String name) {
        return jdbc.queryOne("SELECT * FROM template WHERE name = ?", TemplateRow::map, name);
    }

    public Optional<TemplateRow> findByLibraryKey(String key) {
        return jdbc.queryOne("SELECT * FROM template WHERE library_key = ?", TemplateRow::map, key);
    }

    public Optional<VersionRow> version(long templateId, int version) {
        return jdbc.queryOne("SELECT * FROM template_version WHERE template_id = ? AND version = ?", VersionRow::map,
                templateId, version);
    }

    public Optional<VersionRow> versionById(long versionId) {
        return jdbc.queryOne("SELECT * FROM template_version WHERE id = ?", VersionRow::map, versionId);
    }

    public List<VersionRow> versions(long templateId) {
        return jdbc.query("SELECT * FROM template_version WHERE template_id = ? ORDER BY version", VersionRow::map, templateId);
    }

    /** Locales of a version (immutable, so callers may cache it). */
    public List<String> locales(long versionId) {
        return jdbc.query("SELECT locale FROM template_variant WHERE template_version_id = ? ORDER BY locale",
                rs -> rs.getString(1), versionId);
    }

    public List<TemplateVariant> variants(long versionId) {
        return jdbc.query("SELECT locale, subject, html_body, text_body, sms_body FROM template_variant "
                        + "WHERE template_version_id = ? ORDER BY locale",
                rs -> new TemplateVariant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                versionId);
    }

    public Optional<String> variantPart(long versionId, String locale, TemplatePart part) {
        String column = switch (part) {
            case SUBJECT -> "subject";
            case HTML -> "html_body";
            case TEXT -> "text_body";
            case SMS -> "sms_body";
        };
        return jdbc.queryOne("SELECT " + column + " FROM template_variant WHERE template_version_id = ? AND locale = ?",
                rs -> rs.getString(1), versionId, locale);
    }

    public long createTemplate(String name, Channel channel, String purpose, String description, String libraryKey) {
        Instant now = clock.instant();
        return jdbc.insert("INSERT INTO template (name, channel, purpose, description, library_key, current_version, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)", name, channel, purpose, description, libraryKey, now, now);
    }

    /** Adds the next version with its variants and makes it current; answers the version number. */
    public int addVersion(long templateId, List<String> attributes, String sourceHash, String createdBy,
                          List<TemplateVariant> variants) {
        int next = jdbc.queryOne("SELECT COALESCE(MAX(version), 0) + 1 FROM template_version WHERE template_id = ?",
                rs -> rs.getInt(1), templateId).orElse(1);
        long versionId = jdbc.insert("INSERT INTO template_version (template_id, version, attributes, source_hash, "
                        + "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                templateId, next, String.join(",", attributes), sourceHash, createdBy, clock.instant());
        jdbc.batch("INSERT INTO template_variant (template_version_id, locale, subject, html_body, text_body, sms_body) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                variants.stream().map(v -> new Object[]{versionId, v.locale(), v.subject(), v.html(), v.text(), v.sms()}).toList());
        jdbc.update("UPDATE template SET current_version = ?, updated_at = ? WHERE id = ?", next, clock.instant(), templateId);
        return next;
    }

    public void updateDetails(long id, String name, String purpose, String description) {
        jdbc.update("UPDATE template SET name = ?, purpose = ?, description = ?, updated_at = ? WHERE id = ?",
                name, purpose, description, clock.instant(), id);
    }

    public void setArchived(long id, boolean archived) {
        jdbc.update("UPDATE template SET archived = ?, updated_at = ? WHERE id = ?", archived, clock.instant(), id);
    }
}
