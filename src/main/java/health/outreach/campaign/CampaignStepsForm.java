package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Durations;
import health.outreach.common.FieldError;
import health.outreach.web.Forms;
import health.outreach.web.PageErrors;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The builder's second page, both ways: the steps as rows named {@code step.N.*}, in the words a
 * coordinator uses (a message; wait 3 days; at 10:00 in the person's day), and as the service's
 * {@link CampaignViews.StepForm}s. A step's channel is its template's: the page offers templates
 * grouped by channel, so a step cannot pair an SMS with an email template. Rows left blank are
 * ignored, so the page can offer a few empty rows to fill in without a round trip per step.
 */
final class CampaignStepsForm {

    static final int MAX_STEPS = 20;
    /** Empty rows a new campaign starts with: enough for a typical series without "Add a step". */
    static final int BLANK_ROWS = 3;
    static final List<String> TIMINGS = List.of("after", "at", "relative");
    private static final List<String> FIELDS = List.of("templateId", "timing", "delay", "delayUnit", "at", "attribute",
            "offset", "offsetUnit", "offsetSide", "sendHour");
    private static final Pattern SERVICE_FIELD = Pattern.compile("steps\\[(\\d+)](?:\\.(\\w+))?(?:\\.(\\w+))?");

    private CampaignStepsForm() {
    }

    record Parsed(List<Map<String, String>> rows, List<CampaignViews.StepForm> steps, List<FieldError> errors) {
    }

    static Map<String, String> blankRow() {
        Map<String, String> row = new LinkedHashMap<>();
        FIELDS.forEach(f -> row.put(f, ""));
        row.put("timing", "after");
        row.put("delayUnit", "days");
        row.put("offsetUnit", "days");
        row.put("offsetSide", "before");
        return row;
    }

    /** The saved steps as rows, topped up with blank rows to {@link #BLANK_ROWS}. */
    static List<Map<String, String>> of(CampaignViews.View c) {
        ZoneId zone = ZoneId.of(c.timeZone());
        List<Map<String, String>> rows = new ArrayList<>();
        for (CampaignViews.Step s : c.steps()) {
            Map<String, String> row = blankRow();
            row.put("templateId", Long.toString(s.templateId()));
            row.put("sendHour", s.sendHour() == null ? "" : s.sendHour().toString());
            if (s.relativeTo() != null) {
                row.put("timing", "relative");
                row.put("attribute", s.relativeTo().attribute());
                Durations.Amount offset = Durations.amount(s.relativeTo().offset());
                if (offset != null) {
                    row.put("offset", Long.toString(Math.abs(offset.value())));
                    row.put("offsetUnit", offset.unit());
                    row.put("offsetSide", offset.value() < 0 ? "before" : "after");
                }
            } else if (s.at() != null) {
                row.put("timing", "at");
                row.put("at", CampaignSettingsForm.local(s.at(), zone));
            } else {
                Durations.Amount delay = Durations.amount(s.afterEnrollment());
                if (delay != null && delay.value() != 0) {
                    row.put("delay", Long.toString(delay.value()));
                    row.put("delayUnit", delay.unit());
                }
            }
            rows.add(row);
        }
        return topUp(rows, false);
    }

    /**
     * Reads the posted rows. {@code channels} says each template's channel; {@code addStep} asks for
     * one more blank row. Every problem the page itself can see comes back at once, named as the
     * service names fields ({@code steps[1].afterEnrollment}) so one mapping serves both.
     */
    static Parsed parse(Map<String, List<String>> form, Map<Long, Channel> channels, ZoneId zone, boolean addStep) {
        List<Map<String, String>> rows = new ArrayList<>();
        List<CampaignViews.StepForm> steps = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            String prefix = "step." + i + ".";
            if (!form.containsKey(prefix + "templateId") || "yes".equals(Forms.first(form, prefix + "remove"))) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            FIELDS.forEach(f -> row.put(f, CampaignSettingsForm.text(form, prefix + f)));
            if (blank(row)) {
                continue;
            }
            String field = "steps[" + rows.size() + "]";
            rows.add(row);
            steps.add(step(row, channels, zone, field, errors));
        }
        return new Parsed(topUp(rows, addStep), steps, errors);
    }

    /** The page's input, in the page's words, for a field the page or the service named. */
    static PageErrors.Target target(String field) {
        if (field.equals("steps")) {
            return new PageErrors.Target("step.0.templateId", "Steps");
        }
        Matcher m = SERVICE_FIELD.matcher(field);
        if (!m.matches()) {
            return null;
        }
        int i = Integer.parseInt(m.group(1));
        String label = "Step " + (i + 1);
        String part = m.group(2) == null ? "" : m.group(2);
        String sub = m.group(3) == null ? "" : m.group(3);
        return switch (part) {
            case "templateId", "channel", "templateVersion" -> new PageErrors.Target("step." + i + ".templateId", label + ", message");
            case "afterEnrollment" -> new PageErrors.Target("step." + i + ".delay", label + ", wait");
            case "at" -> new PageErrors.Target("step." + i + ".at", label + ", date and time");
            case "relativeTo" -> sub.equals("attribute")
                    ? new PageErrors.Target("step." + i + ".attribute", label + ", date on the contact")
                    : new PageErrors.Target("step." + i + ".offset", label + ", how long before or after");
            case "sendHour" -> new PageErrors.Target("step." + i + ".sendHour", label + ", time of day");
            default -> new PageErrors.Target("step." + i + ".timing", label + ", when");
        };
    }

    private static CampaignViews.StepForm step(Map<String, String> row, Map<Long, Channel> channels, ZoneId zone, String field,
                                               List<FieldError> errors) {
        Long template = null;
        try {
            template = Long.parseLong(row.get("templateId"));
        } catch (NumberFormatException e) {
            errors.add(FieldError.of(field + ".templateId", "choose the message to send"));
        }
        Channel channel = template == null ? Channel.EMAIL : channels.getOrDefault(template, Channel.EMAIL);
        Integer sendHour = null;
        if (!row.get("sendHour").isEmpty()) {
            try {
                sendHour = Integer.parseInt(row.get("sendHour"));
            } catch (NumberFormatException e) {
                errors.add(FieldError.of(field + ".sendHour", "choose a time of day, or any time"));
            }
        }
        return switch (row.get("timing")) {
            case "at" -> new CampaignViews.StepForm(channel, template, null,
                    CampaignSettingsForm.instant(row.get("at"), zone, field + ".at", errors), null, null, sendHour);
            case "relative" -> {
                String offset = duration(row.get("offset"), row.get("offsetUnit"), "before".equals(row.get("offsetSide")),
                        field + ".relativeTo.offset", errors);
                yield new CampaignViews.StepForm(channel, template, null, null, null,
                        new CampaignViews.RelativeTo(row.get("attribute"), offset == null ? "P0D" : offset), sendHour);
            }
            default -> {
                String delay = row.get("delay").isEmpty() ? "PT0S"
                        : duration(row.get("delay"), row.get("delayUnit"), false, field + ".afterEnrollment", errors);
                yield new CampaignViews.StepForm(channel, template, null, null, delay == null ? "PT0S" : delay, null, sendHour);
            }
        };
    }

    private static String duration(String amount, String unit, boolean negative, String field, List<FieldError> errors) {
        long n;
        try {
            n = Long.parseLong(amount.isEmpty() ? "0" : amount);
        } catch (NumberFormatException e) {
            errors.add(FieldError.of(field, "a whole number, such as 3"));
            return null;
        }
        if (n < 0 || n > 3650) {
            errors.add(FieldError.of(field, "a whole number from 0 to 3650"));
            return null;
        }
        if (!Durations.UNITS.contains(unit)) {
            errors.add(FieldError.of(field, "choose minutes, hours, days or weeks"));
            return null;
        }
        return Durations.iso(negative ? -n : n, unit);
    }

    private static boolean blank(Map<String, String> row) {
        return row.get("templateId").isEmpty() && row.get("delay").isEmpty() && row.get("at").isEmpty()
                && row.get("attribute").isEmpty() && row.get("offset").isEmpty();
    }

    private static List<Map<String, String>> topUp(List<Map<String, String>> rows, boolean addStep) {
        List<Map<String, String>> all = new ArrayList<>(rows);
        while (all.size() < Math.min(MAX_STEPS, BLANK_ROWS)) {
            all.add(blankRow());
        }
        if (addStep && all.size() < MAX_STEPS) {
            all.add(blankRow());
        }
        return all;
    }
}
