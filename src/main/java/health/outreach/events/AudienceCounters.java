package health.outreach.events;

import health.outreach.common.LanguageTags;
import health.outreach.common.Jdbc;
import health.outreach.config.ReportSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * People reached, booked and attended per campaign by region (the first digits of the postal code) and
 * by language, updated in the transaction of the send or booking that changes them.
 */
@Singleton
public class AudienceCounters {

    public enum Dimension { REGION, LOCALE }

    /** One person counted once: reached (first message accepted) or booked. */
    public record Person(long campaignId, @Nullable String postalCode, @Nullable String locale) {
    }

    private final Jdbc jdbc;
    private final int prefixLength;

    public AudienceCounters(Jdbc jdbc, ReportSettings settings) {
        this.jdbc = jdbc;
        this.prefixLength = settings.regionPrefixLength();
    }

    public String region(@Nullable String postalCode) {
        if (postalCode == null) {
            return "";
        }
        String compact = postalCode.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        return compact.length() <= prefixLength ? compact : compact.substring(0, prefixLength);
    }

    public static String language(@Nullable String locale) {
        if (locale == null || locale.isBlank()) {
            return "";
        }
        String language = LanguageTags.language(locale);
        return language.length() > 16 ? language.substring(0, 16) : language;
    }

    public void reached(List<Person> people) {
        add(people, "reached");
    }

    /** A person starts (+1) or stops (-1) counting as booked or as attended. */
    public void converted(Person person, Conversion conversion, long amount) {
        add(List.of(person), conversion == Conversion.ATTENDED ? "attended" : "booked", amount);
    }

    private void add(List<Person> people, String column) {
        add(people, column, 1);
    }

    private void add(List<Person> people, String column, long amount) {
        Map<List<Object>, Long> sums = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (Person p : people) {
            sums.merge(List.of(p.campaignId(), Dimension.REGION.name(), region(p.postalCode())), amount, Long::sum);
            sums.merge(List.of(p.campaignId(), Dimension.LOCALE.name(), language(p.locale())), amount, Long::sum);
        }
        if (sums.isEmpty()) {
            return;
        }
        // One statement for the batch: each row gets its own amount. Sorted keys: concurrent senders
        // lock rows in one order and cannot deadlock each other. A row exists after its first count;
        // only keys the UPDATE missed are inserted, then counted.
        List<List<Object>> keys = new ArrayList<>(sums.keySet());
        java.util.Set<List<Object>> counted = increment(column, keys, sums);
        if (counted.size() < keys.size()) {
            List<List<Object>> missing = keys.stream().filter(k -> !counted.contains(k)).toList();
            jdbc.batch("INSERT INTO audience_counter (campaign_id, dimension, dim_value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    missing.stream().map(List::toArray).toList());
            increment(column, missing, sums);
        }
    }

    /** Adds each key's amount in one statement; answers the keys whose row it found. */
    private java.util.Set<List<Object>> increment(String column, List<List<Object>> keys, Map<List<Object>, Long> sums) {
        StringBuilder sql = new StringBuilder("UPDATE audience_counter SET " + column + " = " + column + " + CASE");
        List<Object> params = new ArrayList<>();
        for (List<Object> key : keys) {
            sql.append(" WHEN campaign_id = ? AND dimension = ? AND dim_value = ? THEN CAST(? AS BIGINT)");
            params.addAll(key);
            params.add(sums.get(key));
        }
        sql.append(" ELSE 0 END WHERE");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : " OR").append(" (campaign_id = ? AND dimension = ? AND dim_value = ?)");
            params.addAll(keys.get(i));
        }
        return new java.util.HashSet<>(jdbc.updateReturning(sql.toString(), new String[]{"campaign_id", "dimension", "dim_value"},
                rs -> List.<Object>of(rs.getLong(1), rs.getString(2), rs.getString(3)), params.toArray()));
    }
}
