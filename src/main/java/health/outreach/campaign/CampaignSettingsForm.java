package health.outreach.campaign;

import health.outreach.common.FieldError;
import health.outreach.web.Forms;
import health.outreach.web.PageErrors;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builder's first page, both ways: who the campaign is for and when it launches, as the page
 * shows them (strings, so a refused form comes back exactly as typed) and as the service's
 * {@link CampaignViews.Form} (with the steps already saved). The launch time is entered in the
 * campaign's zone, never in UTC.
 */
final class CampaignSettingsForm {

    static final List<String> FIELDS = List.of("name", "segmentId", "defaultLocale", "timeZone", "enrollment", "cron",
            "holdoutPercent", "attributionWindowDays", "startsAt");
    /** The fields folded under "More settings"; the fold opens when one of them has an error. */
    static final List<String> MORE = List.of("defaultLocale", "timeZone", "enrollment", "cron", "holdoutPercent",
            "attributionWindowDays");
    private static final Map<String, String> LABELS = Map.of("name", "Name", "segmentId", "Audience",
            "defaultLocale", "Default language", "timeZone", "Time zone", "enrollment", "Who joins",
            "cron", "Recurring schedule", "holdoutPercent", "Holdout", "attributionWindowDays", "Attribution window",
            "startsAt", "Launch at");

    private CampaignSettingsForm() {
    }

    record Parsed(Map<String, String> values, CampaignViews.Form form, List<FieldError> errors) {
    }

    static Map<String, String> blank(String defaultZone, String defaultLocale) {
        Map<String, String> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, ""));
        v.put("timeZone", defaultZone);
        v.put("defaultLocale", defaultLocale);
        v.put("enrollment", "ONCE");
        v.put("holdoutPercent", "0");
        v.put("attributionWindowDays", "30");
        return v;
    }

    static Map<String, String> of(CampaignViews.View c) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("name", c.name());
        v.put("segmentId", Long.toString(c.segmentId()));
        v.put("defaultLocale", c.defaultLocale());
        v.put("timeZone", c.timeZone());
        v.put("enrollment", c.enrollment());
        v.put("cron", c.cron() == null ? "" : c.cron());
        v.put("holdoutPercent", Integer.toString(c.holdoutPercent()));
        v.put("attributionWindowDays", Integer.toString(c.attributionWindowDays()));
        v.put("startsAt", local(c.startsAt(), ZoneId.of(c.timeZone())));
        return v;
    }

    /** Reads the posted page; {@code steps} are the draft's saved steps (none for a new campaign). */
    static Parsed parse(Map<String, List<String>> form, List<CampaignViews.StepForm> steps) {
        Map<String, String> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, text(form, f)));
        List<FieldError> errors = new ArrayList<>();
        Long segment = number(v, "segmentId", "choose who the campaign is for", errors);
        Long holdout = number(v, "holdoutPercent", "a whole number from 0 to 50", errors);
        Long window = number(v, "attributionWindowDays", "a whole number of days from 1 to 365", errors);
        Instant startsAt = instant(v.get("startsAt"), zone(v.get("timeZone")), "startsAt", errors);
        String enrollment = blankToNull(v.get("enrollment"));
        // The schedule belongs to recurring enrollment only: a cron left over after switching to
        // "once" is dropped rather than refused.
        String cron = "RECURRING".equals(enrollment) ? blankToNull(v.get("cron")) : null;
        CampaignViews.Form parsed = new CampaignViews.Form(v.get("name"), segment, blankToNull(v.get("defaultLocale")),
                blankToNull(v.get("timeZone")), steps, enrollment, cron,
                holdout == null ? null : holdout.intValue(), window == null ? null : window.intValue(), startsAt);
        return new Parsed(v, parsed, errors);
    }

    /** The page's input for a field the service or the constraints named, in the page's words. */
    static PageErrors.Target target(String field) {
        String name = field.equals("steps") ? null : field;
        if (name == null || !LABELS.containsKey(name)) {
            return null;
        }
        return new PageErrors.Target(name, LABELS.get(name));
    }

    static String local(Instant instant, ZoneId zone) {
        return instant == null ? "" : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MINUTES), zone).toString();
    }

    static Instant instant(String local, ZoneId zone, String field, List<FieldError> errors) {
        if (local == null || local.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, "a date and a time, such as 2026-03-09 10:00"));
            return null;
        }
    }

    /** The form's zone for reading its times; an unknown one is reported by the service's own check. */
    static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException | NullPointerException e) {
            return ZoneId.of("UTC");
        }
    }

    static String text(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.strip();
    }

    private static Long number(Map<String, String> v, String field, String expected, List<FieldError> errors) {
        String s = v.get(field);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return field.equals("segmentId") ? Long.parseLong(s) : Integer.parseInt(s); // no silent overflow into range
        } catch (NumberFormatException e) {
            errors.add(FieldError.of(field, expected));
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
