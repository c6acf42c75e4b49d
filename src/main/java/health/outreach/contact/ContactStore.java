package health.outreach.contact;

import io.micronaut.core.annotation.Nullable;
import health.outreach.common.Hashing;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Contact rows and their attributes, in plain SQL shared by the API and the importer. */
@Singleton
public class ContactStore {

    static final String INSERT = """
            INSERT INTO contact (external_id, first_name, last_name, email, phone, email_hash, phone_hash, locale,
                                 time_zone, postal_code, clinic_id, email_consent, sms_consent, email_consent_at,
                                 sms_consent_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static final String UPDATE = """
            UPDATE contact SET external_id = ?, first_name = ?, last_name = ?, email = ?, phone = ?, email_hash = ?,
                               phone_hash = ?, locale = ?, time_zone = ?, postal_code = ?, clinic_id = ?, updated_at = ?
            WHERE id = ?""";

    private final Jdbc jdbc;

    public ContactStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ContactRow> find(long id) {
        return jdbc.queryOne("SELECT " + ContactRow.COLUMNS + " FROM contact c WHERE c.id = ?", ContactRow::map, id);
    }

    /**
     * Contacts matching any of the keys: how duplicates are found (external id, email or phone).
     * One lookup per key on its unique index, the keys bound as one array. Two traps avoided: an OR
     * of three IN lists makes PostgreSQL scan the table, and an IN list of 1,000 parameters, once
     * pgjdbc prepares it server-side, gets a generic plan that compares every row with every
     * parameter. Either turned a 1M-row import quadratic.
     */
    public List<ContactRow> findByKeys(Collection<String> externalIds, Collection<String> emails, Collection<String> phones) {
        Map<Long, ContactRow> found = new LinkedHashMap<>();
        lookup(found, "c.external_id", externalIds);
        lookup(found, "c.email", emails);
        lookup(found, "c.phone", phones);
        return new ArrayList<>(found.values());
    }

    private void lookup(Map<Long, ContactRow> found, String column, Collection<String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        for (ContactRow row : jdbc.query("SELECT " + ContactRow.COLUMNS + " FROM contact c WHERE " + column + " = ANY (?)",
                ContactRow::map, Jdbc.array("varchar", values))) {
            found.putIfAbsent(row.id(), row);
        }
    }

    /**
     * Locks the given contacts for the caller's transaction, in id order (so two importers cannot
     * deadlock), and answers their rows as they are once the lock is held. An import merges into
     * these rows and writes every consent column back: without the lock, an opt-out committed
     * between its read and its write (a click on an unsubscribe link) would be overwritten.
     */
    List<ContactRow> lockForUpdate(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + ContactRow.COLUMNS + " FROM contact c WHERE c.id = ANY (?) ORDER BY c.id FOR UPDATE",
                ContactRow::map, Jdbc.array("bigint", ids));
    }

    /** Contact ids by a unique column ("email" or "phone"), for the given values. */
    Map<String, Long> idsBy(String column, Collection<String> values) {
        Map<String, Long> ids = new HashMap<>();
        if (values.isEmpty()) {
            return ids;
        }
        if (!column.equals("email") && !column.equals("phone")) {
            throw new IllegalArgumentException(column);
        }
        jdbc.query("SELECT id, " + column + " FROM contact WHERE " + column + " = ANY (?)",
                rs -> Map.entry(rs.getString(2), rs.getLong(1)), Jdbc.array("varchar", values))
                .forEach(e -> ids.put(e.getKey(), e.getValue()));
        return ids;
    }

    public long insert(NormalizedContact c, Long clinicId, Instant now) {
        return jdbc.insert(INSERT, insertParams(c, clinicId, ConsentState.NONE, ConsentState.NONE, null, null, now));
    }

    static Object[] insertParams(NormalizedContact c, Long clinicId, ConsentState emailConsent, ConsentState smsConsent,
                                 Instant emailConsentAt, Instant smsConsentAt, Instant now) {
        return new Object[]{c.externalId(), c.firstName(), c.lastName(), c.email(), c.phone(), hash(c.email()),
                hash(c.phone()), c.locale(), c.timeZone(), c.postalCode(), clinicId, emailConsent, smsConsent,
                emailConsentAt, smsConsentAt, now, now};
    }

    public void update(long id, NormalizedContact c, Long clinicId, Instant now) {
        jdbc.update(UPDATE, updateParams(id, c, clinicId, now));
    }

    static Object[] updateParams(long id, NormalizedContact c, Long clinicId, Instant now) {
        return new Object[]{c.externalId(), c.firstName(), c.lastName(), c.email(), c.phone(), hash(c.email()),
                hash(c.phone()), c.locale(), c.timeZone(), c.postalCode(), clinicId, now, id};
    }

    public static String hash(String address) {
        return address == null ? null : Hashing.sha256Hex(address);
    }

    /**
     * Writes attributes: each named value replaces the stored one; a null value removes it.
     * With {@code replaceAll}, attributes not named are removed too (PUT semantics).
     */
    public void writeAttributes(long contactId, Map<String, NormalizedContact.TypedValue> attributes, boolean replaceAll) {
        if (replaceAll) {
            jdbc.update("DELETE FROM contact_attribute WHERE contact_id = ?", contactId);
        } else if (!attributes.isEmpty()) {
            jdbc.batch("DELETE FROM contact_attribute WHERE contact_id = ? AND name = ?",
                    attributes.keySet().stream().map(n -> new Object[]{contactId, n}).toList());
        }
        List<Object[]> rows = new ArrayList<>();
        attributes.forEach((name, value) -> {
            if (value != null) {
                rows.add(attributeRow(contactId, name, value));
            }
        });
        jdbc.batch(INSERT_ATTRIBUTE, rows);
    }

    static final String INSERT_ATTRIBUTE =
            "INSERT INTO contact_attribute (contact_id, name, text_value, number_value, date_value) VALUES (?, ?, ?, ?, ?)";
    static final List<String> ATTRIBUTE_COLUMNS = List.of("contact_id", "name", "text_value", "number_value", "date_value");
    /** Columns of a bulk insert, matching {@link #bulkInsertParams}. */
    static final List<String> BULK_INSERT_COLUMNS = List.of("external_id", "first_name", "last_name", "email", "phone",
            "email_hash", "phone_hash", "locale", "time_zone", "postal_code", "clinic_id", "email_consent", "sms_consent",
            "email_consent_at", "sms_consent_at", "created_at", "updated_at", "sms_notice_due");

    /** {@link #insertParams} plus {@code sms_notice_due}: the CTIA notice flag is written with the row, not after it. */
    static Object[] bulkInsertParams(NormalizedContact c, Long clinicId, ConsentState emailConsent, ConsentState smsConsent,
                                     Instant emailConsentAt, Instant smsConsentAt, Instant now, boolean smsNoticeDue) {
        Object[] row = insertParams(c, clinicId, emailConsent, smsConsent, emailConsentAt, smsConsentAt, now);
        Object[] withNotice = Arrays.copyOf(row, row.length + 1);
        withNotice[row.length] = smsNoticeDue;
        return withNotice;
    }

    static Object[] attributeRow(long contactId, String name, NormalizedContact.TypedValue value) {
        return new Object[]{contactId, name,
                value.value() instanceof String s ? s : null,
                value.value() instanceof BigDecimal d ? d : null,
                value.value() instanceof LocalDate d ? d : null};
    }

    /** Attributes of the given contacts, as JSON-friendly values (dates as ISO strings). */
    /** The suppressions of each contact's addresses (by hash: they outlive an erasure). */
    public Map<Long, List<SuppressionView>> suppressions(Collection<Long> contactIds) {
        Map<Long, List<SuppressionView>> out = new HashMap<>();
        if (contactIds.isEmpty()) {
            return out;
        }
        jdbc.query("SELECT c.id, s.channel, s.reason, s.source, s.created_at FROM contact c JOIN suppression s "
                        + "ON (s.channel = 'EMAIL' AND s.address_hash = c.email_hash) OR (s.channel = 'SMS' AND s.address_hash = c.phone_hash) "
                        + "WHERE c.id = ANY (?) ORDER BY s.created_at",
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new SuppressionView(
                        health.outreach.common.Channel.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        Jdbc.instant(rs, "created_at"))), Jdbc.array("bigint", List.copyOf(contactIds)));
        return out;
    }

    public Map<Long, Map<String, Object>> attributes(Collection<Long> contactIds) {
        Map<Long, Map<String, Object>> result = new HashMap<>();
        if (contactIds.isEmpty()) {
            return result;
        }
        jdbc.query("SELECT contact_id, name, text_value, number_value, date_value FROM contact_attribute WHERE contact_id IN ("
                        + Jdbc.placeholders(contactIds.size()) + ") ORDER BY name",
                rs -> {
                    result.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), value(rs));
                    return null;
                }, contactIds.toArray());
        return result;
    }

    private static Object value(ResultSet rs) throws SQLException {
        String text = rs.getString("text_value");
        if (text != null) {
            return text;
        }
        BigDecimal number = rs.getBigDecimal("number_value");
        if (number != null) {
            BigDecimal stripped = number.stripTrailingZeros();
            return stripped.scale() <= 0 ? stripped.toBigIntegerExact() : stripped;
        }
        java.sql.Date date = rs.getDate("date_value");
        return date == null ? null : date.toLocalDate().toString();
    }

    /** One page of live contacts, optionally filtered by a search term (name prefix, email, phone digits). */
    public List<ContactRow> page(String query, long offset, int limit) {
        Filter f = filter(query);
        List<Object> params = new ArrayList<>(f.params());
        params.add(limit);
        params.add(offset);
        return jdbc.query("SELECT " + ContactRow.COLUMNS + " FROM contact c WHERE " + f.sql()
                + " ORDER BY c.id LIMIT ? OFFSET ?", ContactRow::map, params.toArray());
    }

    public long count(String query) {
        Filter f = filter(query);
        return jdbc.queryLong("SELECT COUNT(*) FROM contact c WHERE " + f.sql(), f.params().toArray());
    }

    private record Filter(String sql, List<Object> params) {
    }

    private static Filter filter(String query) {
        if (query == null || query.isBlank()) {
            return new Filter("c.erased_at IS NULL", List.of());
        }
        String term = query.strip().toLowerCase(java.util.Locale.ROOT);
        String prefix = likeEscape(term) + "%";
        String digits = term.replaceAll("[^0-9]", "");
        List<Object> params = new ArrayList<>(List.of(prefix, prefix, prefix));
        String sql = "c.erased_at IS NULL AND (LOWER(c.first_name) LIKE ? ESCAPE '\\' OR LOWER(c.last_name) LIKE ? ESCAPE '\\'"
                + " OR c.email LIKE ? ESCAPE '\\'";
        if (digits.length() >= 3) {
            sql += " OR c.phone LIKE ? ESCAPE '\\'";
            params.add("%" + digits + "%");
        }
        return new Filter(sql + ")", params);
    }

    static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The contacts whose first text carried the opt-out notice; their next texts need not repeat it. */
    public void smsNoticeGiven(List<Long> contactIds) {
        if (!contactIds.isEmpty()) {
            jdbc.update("UPDATE contact SET sms_notice_due = FALSE WHERE id = ANY (?) AND sms_notice_due", Jdbc.array("bigint", contactIds));
        }
    }

    /**
     * What a person chose on the preference page: the language (null when unchanged), a pause
     * (null for none) and the topics, kept as the {@code topics} attribute.
     */
    public void setPreferences(long id, @Nullable String locale, @Nullable Instant pausedUntil, String topics, Instant now) {
        if (locale != null) {
            jdbc.update("UPDATE contact SET locale = ?, updated_at = ? WHERE id = ?", locale, now, id);
        }
        jdbc.update("UPDATE contact SET paused_until = ?, updated_at = ? WHERE id = ?", pausedUntil, now, id);
        jdbc.update("DELETE FROM contact_attribute WHERE contact_id = ? AND name = 'topics'", id);
        jdbc.update("INSERT INTO contact_attribute (contact_id, name, text_value) VALUES (?, 'topics', ?)", id, topics);
    }
}
