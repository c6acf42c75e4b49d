package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which campaign sends what on which day of a month, in the viewer's zone: for a running or paused
 * campaign the messages waiting in the outbox (counted per hour, then placed on the local day), for
 * a scheduled one each step's first send for someone in the campaign's zone (its messages do not
 * exist until launch). Steps timed from a date on each person's record have no one day.
 */
@Singleton
public class CampaignCalendar {

    private static final EnumSet<CampaignStatus> SENDING = EnumSet.of(CampaignStatus.RUNNING, CampaignStatus.PAUSED);

    private final CampaignStore store;
    private final Jdbc jdbc;

    public CampaignCalendar(CampaignStore store, Jdbc jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    /** One line of a day: {@code count} messages waiting, or a planned step ({@code planned}, no count yet). */
    public record Entry(long campaignId, String campaign, int step, Channel channel, long count, boolean planned) {
    }

    public Map<LocalDate, List<Entry>> month(YearMonth month, ZoneId zone) {
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        Map<LocalDate, Map<String, Entry>> days = new TreeMap<>();
        for (CampaignStore.CampaignRow c : store.list()) {
            if (SENDING.contains(c.status())) {
                jdbc.query("SELECT s.step_order, m.channel, DATE_TRUNC('hour', m.due_at) AS h, COUNT(*) FROM message m "
                                + "JOIN campaign_step s ON s.id = m.step_id WHERE m.campaign_id = ? AND m.status = 'PENDING' "
                                + "AND m.due_at >= ? AND m.due_at < ? GROUP BY s.step_order, m.channel, DATE_TRUNC('hour', m.due_at)",
                        rs -> {
                            LocalDate day = Jdbc.instant(rs, "h").atZone(zone).toLocalDate();
                            add(days, day, new Entry(c.id(), c.name(), rs.getInt(1), Channel.valueOf(rs.getString(2)), rs.getLong(4), false));
                            return null;
                        }, c.id(), from, to);
            } else if (c.status() == CampaignStatus.SCHEDULED && c.startsAt() != null) {
                ZoneId campaignZone = ZoneId.of(c.timeZone());
                for (CampaignStore.StepRow s : store.steps(c.id())) {
                    if (s.relativeAttribute() != null) {
                        continue;
                    }
                    Duration after = s.afterEnrollment() == null ? Duration.ZERO : Duration.parse(s.afterEnrollment());
                    Instant due = StepTiming.due(new StepTiming.Spec(s.at(), after, null, null, s.sendHour()), c.startsAt(), campaignZone);
                    if (!due.isBefore(from) && due.isBefore(to)) {
                        add(days, due.atZone(zone).toLocalDate(), new Entry(c.id(), c.name(), s.order(), s.channel(), 0, true));
                    }
                }
            }
        }
        Map<LocalDate, List<Entry>> out = new TreeMap<>();
        days.forEach((day, entries) -> out.put(day, new ArrayList<>(entries.values())));
        return out;
    }

    private static void add(Map<LocalDate, Map<String, Entry>> days, LocalDate day, Entry e) {
        days.computeIfAbsent(day, d -> new TreeMap<>()).merge(e.campaign() + "\u0000" + e.campaignId() + "\u0000" + e.step(), e,
                (a, b) -> new Entry(a.campaignId(), a.campaign(), a.step(), a.channel(), a.count() + b.count(), a.planned()));
    }
}
