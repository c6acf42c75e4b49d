package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.Reachability;
import health.outreach.delivery.DeliveryWindows;
import health.outreach.delivery.QuietHours;
import health.outreach.segment.SegmentService;
import health.outreach.segment.SqlPredicate;
import health.outreach.template.TemplatePreview;
import health.outreach.template.TemplateViews;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What scheduling a draft would do, in numbers a coordinator can check before confirming: who is
 * in the audience and who of them each channel can reach, the holdout, each step's first send for
 * someone in the campaign's zone (with the quiet-hours shift), the SMS segments it costs, the
 * reading grade, and what looks wrong.
 */
@Singleton
public class CampaignReview {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);

    private final SegmentService segments;
    private final TemplatePreview previews;
    private final DeliveryWindows windows;
    private final Jdbc jdbc;
    private final Clock clock;

    public CampaignReview(SegmentService segments, TemplatePreview previews, DeliveryWindows windows, Jdbc jdbc, Clock clock) {
        this.segments = segments;
        this.previews = previews;
        this.windows = windows;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One step as it will go out. {@code firstSend} is for a person in the campaign's zone, null when it depends on the person. */
    public record StepReview(int order, Channel channel, long templateId, String template, int version,
                             CampaignViews.Step step, @Nullable String firstSend, @Nullable String quietShift,
                             @Nullable Integer smsSegments, long smsSegmentsTotal, @Nullable Double readingGrade,
                             List<String> warnings) {
    }

    public record Review(long audience, long holdout, long reachEmail, long reachSms, String launch,
                         List<StepReview> steps, List<String> warnings) {
    }

    public Review of(CampaignViews.View c, Map<Long, String> templateNames) {
        ZoneId zone = ZoneId.of(c.timeZone());
        Instant now = clock.instant();
        Instant launch = c.startsAt() != null && c.startsAt().isAfter(now) ? c.startsAt() : now;
        Map<Channel, Long> reach = new EnumMap<>(Channel.class);
        long audience = audience(c.segmentId(), now, reach);
        long holdout = Math.round(audience * c.holdoutPercent() / 100.0);
        double messaged = audience == 0 ? 0 : (audience - holdout) / (double) audience;
        List<String> warnings = new ArrayList<>();
        if (audience == 0) {
            warnings.add("Nobody is in the audience now: the campaign would send nothing.");
        }
        if (c.steps().isEmpty()) {
            warnings.add("The campaign has no steps yet.");
        }
        List<StepReview> steps = new ArrayList<>();
        for (CampaignViews.Step s : c.steps()) {
            steps.add(step(s, templateNames, launch, zone, Math.round(reach.get(s.channel()) * messaged)));
        }
        for (Channel ch : Channel.values()) {
            long unreachable = audience - reach.get(ch);
            boolean used = c.steps().stream().anyMatch(s -> s.channel() == ch);
            if (used && unreachable > 0) {
                warnings.add(unreachable + " of " + audience + " people cannot get " + word(ch) + " steps (no consent, no "
                        + (ch == Channel.EMAIL ? "address" : "phone number") + ", or it is suppressed); they get the other steps only.");
            }
        }
        String launchWords = c.startsAt() != null && c.startsAt().isAfter(now)
                ? "at " + WHEN.format(c.startsAt().atZone(zone)) + " (" + c.timeZone() + ")"
                : "as soon as you schedule it";
        return new Review(audience, holdout, reach.get(Channel.EMAIL), reach.get(Channel.SMS), launchWords, steps, warnings);
    }

    private StepReview step(CampaignViews.Step s, Map<Long, String> names, Instant launch, ZoneId zone, long recipients) {
        List<String> warnings = new ArrayList<>();
        Instant due = null;
        if (s.relativeTo() == null) {
            Duration after = s.afterEnrollment() == null ? Duration.ZERO : Duration.parse(s.afterEnrollment());
            due = StepTiming.due(new StepTiming.Spec(s.at(), after, null, null, s.sendHour()), launch, zone);
        }
        String shift = null;
        if (due != null) {
            QuietHours quiet = windows.forChannel(s.channel());
            Instant allowed = quiet.nextAllowed(due, zone);
            if (!allowed.equals(due)) {
                shift = "due " + WHEN.format(due.atZone(zone)) + ", outside " + word(s.channel()) + " hours (" + quiet
                        + "): waits until the window opens";
                due = allowed;
            }
            if (s.at() != null && s.at().isBefore(launch)) {
                warnings.add("Its date has passed: it goes out at launch.");
            }
        }
        Integer segmentsPerMessage = null;
        Double grade = null;
        try {
            TemplateViews.Preview p = previews.preview(s.templateId(), new TemplateViews.PreviewRequest(null, null, s.templateVersion()));
            segmentsPerMessage = p.smsSegments();
            grade = p.readingGrade();
            warnings.addAll(p.warnings());
        } catch (RuntimeException e) {
            warnings.add("The message could not be previewed: " + e.getMessage());
        }
        long total = segmentsPerMessage == null ? 0 : segmentsPerMessage * recipients;
        return new StepReview(s.order(), s.channel(), s.templateId(), names.getOrDefault(s.templateId(), "Template " + s.templateId()),
                s.templateVersion(), s, due == null ? null : WHEN.format(due.atZone(zone)), shift, segmentsPerMessage, total, grade,
                warnings);
    }

    /** The segment's size now, and how many of them each channel may reach (the same rule the fan-out applies). */
    private long audience(long segmentId, Instant now, Map<Channel, Long> reach) {
        SqlPredicate p = segments.predicate(segmentId);
        List<Object> params = new ArrayList<>(List.of(now, now));
        params.addAll(p.params());
        long[] counts = jdbc.queryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN " + Reachability.sql(Channel.EMAIL)
                        + " THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN " + Reachability.sql(Channel.SMS) + " THEN 1 ELSE 0 END), 0)"
                        + " FROM contact c WHERE c.erased_at IS NULL AND " + p.sql(),
                rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}, params.toArray()).orElse(new long[3]);
        reach.put(Channel.EMAIL, counts[1]);
        reach.put(Channel.SMS, counts[2]);
        return counts[0];
    }

    private static String word(Channel ch) {
        return ch == Channel.EMAIL ? "email" : "SMS";
    }
}
