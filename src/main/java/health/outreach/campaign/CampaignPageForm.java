package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.web.Forms;

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
 * The campaign form of the admin UI, both ways: what the page shows (strings, so a refused form
 * comes back exactly as typed) and the {@link CampaignViews.Form} the service takes. Steps are
 * rows named {@code step.N.*}; a step's timing is one of now, after (an ISO-8601 duration after
 * enrollment), at (a local date-time in the campaign's zone) or relative (an offset from a date
 * attribute of the contact). Times of day are entered in the campaign's zone, never in UTC.
 */
final class CampaignPageForm {

    static final int MAX_STEPS = 20;
    static final List<String> TIMINGS = List.of("now", "after", "at", "relative");
    private static final List<String> FIELDS = List.of("name", "segmentId", "defaultLocale", "timeZone", "enrollment", "cron",
            "holdoutPercent", "attributionWindowDays", "startsAt");
    private static final List<String> STEP_FIELDS = List.of("channel", "templateId", "timing", "after", "at", "attribute",
            "offset", "sendHour");

    private CampaignPageForm() {
    }

    /** A parsed form: the values to show again, the service's form, and what could not be read. */
    record Parsed(Map<String, Object> values, CampaignViews.Form form, List<FieldError> errors) {
    }

    /** Empty values for a new campaign, with one step ready to fill in. */
    static Map<String, Object> blank(String defaultZone) {
        Map<String, Object> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, ""));
        v.put("timeZone", defaultZone);
        v.put("enrollment", "ONCE");
        v.put("holdoutPercent", "0");
        v.put("attributionWindowDays", "30");
        v.put("steps", new ArrayList<>(List.of(blankStep())));
        return v;
    }

    static Map<String, String> blankStep() {
        Map<String, String> step = new LinkedHashMap<>();
        STEP_FIELDS.forEach(f -> step.put(f, ""));
        step.put("channel", "EMAIL");
        step.put("timing", "now");
        return step;
    }

    /** The form as it shows a saved campaign. */
    static Map<String, Object> of(CampaignViews.View c) {
        ZoneId zone = ZoneId.of(c.timeZone());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", c.name());
        v.put("segmentId", Long.toString(c.segmentId()));
        v.put("defaultLocale", c.defaultLocale());
        v.put("timeZone", c.timeZone());
        v.put("enrollment", c.enrollment());
        v.put("cron", c.cron() == null ? "" : c.cron());
        v.put("holdoutPercent", Integer.toString(c.holdoutPercent()));
        v.put("attributionWindowDays", Integer.toString(c.attributionWindowDays()));
        v.put("startsAt", local(c.startsAt(), zone));
        List<Map<String, String>> steps = new ArrayList<>();
        for (CampaignViews.Step s : c.steps()) {
            Map<String, String> step = blankStep();
            step.put("channel", s.channel().name());
            step.put("templateId", Long.toString(s.templateId()));
            step.put("sendHour", s.sendHour() == null ? "" : s.sendHour().toString());
            if (s.relativeTo() != null) {
                step.put("timing", "relative");
                step.put("attribute", s.relativeTo().attribute());
                step.put("offset", s.relativeTo().offset());
            } else if (s.at() != null) {
                step.put("timing", "at");
                step.put("at", local(s.at(), zone));
            } else if (s.afterEnrollment() != null && !s.afterEnrollment().equals("PT0S")) {
                step.put("timing", "after");
                step.put("after", s.afterEnrollment());
            }
            steps.add(step);
        }
        v.put("steps", steps);
        return v;
    }

    /** Reads a posted form; rows marked for removal are dropped, {@code addStep} appends a blank row. */
    static Parsed parse(Map<String, List<String>> form, boolean addStep) {
        Map<String, Object> v = new LinkedHashMap<>();
        FIELDS.forEach(f -> v.put(f, text(form, f)));
        List<FieldError> errors = new ArrayList<>();
        ZoneId zone = zone((String) v.get("timeZone"));
        List<Map<String, String>> rows = new ArrayList<>();
        List<CampaignViews.StepForm> steps = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            String prefix = "step." + i + ".";
            if (!form.containsKey(prefix + "channel")) {
                continue;
            }
            if ("yes".equals(Forms.first(form, prefix + "remove"))) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            STEP_FIELDS.forEach(f -> row.put(f, text(form, prefix + f)));
            String field = "steps[" + rows.size() + "]";
            rows.add(row);
            steps.add(step(row, zone, field, errors));
        }
        if (addStep && rows.size() < MAX_STEPS) {
            rows.add(blankStep());
        }
        v.put("steps", rows);
        Long segment = number(v, "segmentId", "choose a segment", errors);
        Long holdout = number(v, "holdoutPercent", "a whole number from 0 to 50", errors);
        Long window = number(v, "attributionWindowDays", "a whole number of days from 1 to 365", errors);
        Instant startsAt = instant((String) v.get("startsAt"), zone, "startsAt", errors);
        CampaignViews.Form parsed = new CampaignViews.Form((String) v.get("name"), segment, blankToNull(v.get("defaultLocale")),
                blankToNull(v.get("timeZone")), steps, blankToNull(v.get("enrollment")), blankToNull(v.get("cron")),
                holdout == null ? null : holdout.intValue(), window == null ? null : window.intValue(), startsAt);
        return new Parsed(v, parsed, errors);
    }

    private static CampaignViews.StepForm step(Map<String, String> row, ZoneId zone, String field, List<FieldError> errors) {
        Channel channel = "SMS".equals(row.get("channel")) ? Channel.SMS : Channel.EMAIL;
        Long template = null;
        try {
            template = Long.parseLong(row.get("templateId"));
        } catch (NumberFormatException e) {
            errors.add(FieldError.of(field + ".templateId", "choose a template"));
        }
        Integer sendHour = null;
        if (!row.get("sendHour").isEmpty()) {
            try {
                sendHour = Integer.parseInt(row.get("sendHour"));
            } catch (NumberFormatException e) {
                errors.add(FieldError.of(field + ".sendHour", "an hour from 0 to 23, or empty"));
            }
        }
        return switch (row.get("timing")) {
            case "after" -> new CampaignViews.StepForm(channel, template, null, null, row.get("after"),
                    null, sendHour);
            case "at" -> new CampaignViews.StepForm(channel, template, null, instant(row.get("at"), zone, field + ".at", errors),
                    null, null, sendHour);
            case "relative" -> new CampaignViews.StepForm(channel, template, null, null, null,
                    new CampaignViews.RelativeTo(row.get("attribute"), row.get("offset")), sendHour);
            default -> new CampaignViews.StepForm(channel, template, null, null, "PT0S", null, sendHour);
        };
    }

    private static Long number(Map<String, Object> v, String field, String expected, List<FieldError> errors) {
        String s = (String) v.get(field);
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

    private static Instant instant(String local, ZoneId zone, String field, List<FieldError> errors) {
        if (local == null || local.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, "a date and time such as 2026-03-09T10:00"));
            return null;
        }
    }

    private static String local(Instant instant, ZoneId zone) {
        return instant == null ? "" : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MINUTES), zone).toString();
    }

    /** The form's zone for reading its times; an unknown one is reported by the service's own check. */
    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private static String text(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.strip();
    }

    private static String blankToNull(Object value) {
        return value == null || ((String) value).isEmpty() ? null : (String) value;
    }
}
