package health.outreach.signup;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Form rows, their versioned words and their keywords. */
@Singleton
class FormStore {

    private final Jdbc jdbc;

    FormStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<SignupForm> byId(long id) {
        return jdbc.queryOne("SELECT * FROM signup_form WHERE id = ?", FormStore::row, id).map(this::complete);
    }

    Optional<SignupForm> byKey(String key) {
        return jdbc.queryOne("SELECT * FROM signup_form WHERE form_key = ?", FormStore::row, key).map(this::complete);
    }

    /** The form that owns a keyword (upper case), with the keyword's language. */
    Optional<Map.Entry<SignupForm, String>> byKeyword(String keyword) {
        return jdbc.queryOne("SELECT form_id, language FROM signup_keyword WHERE keyword = ?",
                rs -> Map.entry(rs.getLong(1), rs.getString(2)), keyword)
                .flatMap(e -> byId(e.getKey()).map(f -> Map.entry(f, e.getValue())));
    }

    List<SignupForm> list() {
        return jdbc.query("SELECT * FROM signup_form ORDER BY form_key", FormStore::row).stream().map(this::complete).toList();
    }

    /** The words of one version, by language; empty when that version does not exist. */
    Map<String, FormText> texts(long formId, int version) {
        Map<String, FormText> texts = new LinkedHashMap<>();
        jdbc.query("SELECT * FROM signup_form_text WHERE form_id = ? AND version = ? ORDER BY language",
                rs -> texts.put(rs.getString("language"), new FormText(rs.getString("title"), rs.getString("intro"),
                        rs.getString("email_wording"), rs.getString("sms_wording"))), formId, version);
        return texts;
    }

    /** The keywords (upper case) another form already uses, of those given. */
    Map<String, String> keywordsTakenElsewhere(Iterable<String> keywords, long formId) {
        Map<String, String> taken = new LinkedHashMap<>();
        for (String k : keywords) {
            jdbc.queryOne("SELECT f.form_key FROM signup_keyword k JOIN signup_form f ON f.id = k.form_id "
                    + "WHERE k.keyword = ? AND k.form_id <> ?", rs -> rs.getString(1), k, formId).ifPresent(key -> taken.put(k, key));
        }
        return taken;
    }

    long insert(FormRules.Valid f, String actor, Instant now) {
        long id = jdbc.insert("INSERT INTO signup_form (form_key, fields, channels, campaign_id, partner_origins, version, "
                        + "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
                f.key(), String.join(",", f.fields()), channels(f.channels()), f.campaignId(), String.join(" ", f.partnerOrigins()),
                actor, now, now);
        insertTexts(id, 1, f.texts(), now);
        replaceKeywords(id, f.keywords());
        return id;
    }

    void update(long id, FormRules.Valid f, int version, Instant now) {
        jdbc.update("UPDATE signup_form SET form_key = ?, fields = ?, channels = ?, campaign_id = ?, partner_origins = ?, "
                        + "version = ?, updated_at = ? WHERE id = ?", f.key(), String.join(",", f.fields()), channels(f.channels()),
                f.campaignId(), String.join(" ", f.partnerOrigins()), version, now, id);
        replaceKeywords(id, f.keywords());
    }

    void insertTexts(long formId, int version, Map<String, FormText> texts, Instant now) {
        texts.forEach((language, t) -> jdbc.update("INSERT INTO signup_form_text (form_id, version, language, title, intro, "
                        + "email_wording, sms_wording, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                formId, version, language, t.title(), t.intro(), t.emailWording(), t.smsWording(), now));
    }

    private void replaceKeywords(long formId, Map<String, String> keywords) {
        jdbc.update("DELETE FROM signup_keyword WHERE form_id = ?", formId);
        keywords.forEach((k, language) -> jdbc.update("INSERT INTO signup_keyword (keyword, form_id, language) VALUES (?, ?, ?)",
                k, formId, language));
    }

    private static String channels(List<Channel> channels) {
        return String.join(",", channels.stream().map(Channel::name).toList());
    }

    /** The form row alone; its words and keywords are read once the row's result set is closed. */
    private static SignupForm row(ResultSet rs) throws SQLException {
        return new SignupForm(rs.getLong("id"), rs.getString("form_key"), split(rs.getString("fields"), ","),
                split(rs.getString("channels"), ",").stream().map(Channel::valueOf).toList(),
                Jdbc.nullableLong(rs, "campaign_id"), split(rs.getString("partner_origins"), " "), rs.getInt("version"),
                Map.of(), Map.of(), rs.getString("created_by"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }

    private SignupForm complete(SignupForm f) {
        Map<String, String> keywords = new LinkedHashMap<>();
        jdbc.query("SELECT keyword, language FROM signup_keyword WHERE form_id = ? ORDER BY keyword",
                r -> keywords.put(r.getString(1), r.getString(2)), f.id());
        return new SignupForm(f.id(), f.key(), f.fields(), f.channels(), f.campaignId(), f.partnerOrigins(), f.version(),
                texts(f.id(), f.version()), keywords, f.createdBy(), f.createdAt(), f.updatedAt());
    }

    private static List<String> split(String value, String separator) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(separator));
    }
}
