package health.outreach.campaign;

import health.outreach.security.Roles;
import health.outreach.web.AdminPages;
import health.outreach.web.ViewerZone;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A month of scheduled sends, {@code ?month=2026-12}, as a calendar grid (weeks from Monday). */
@Controller("/admin/campaigns/calendar")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class CampaignCalendarPages {

    private static final DateTimeFormatter TITLE = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    private final CampaignCalendar calendar;
    private final AdminPages pages;
    private final ViewerZone zones;
    private final java.time.Clock clock;

    CampaignCalendarPages(CampaignCalendar calendar, AdminPages pages, ViewerZone zones, java.time.Clock clock) {
        this.calendar = calendar;
        this.pages = pages;
        this.zones = zones;
        this.clock = clock;
    }

    /** A day cell: its date (null for padding before the 1st or after the last), today or not, what it sends. */
    public record Day(@Nullable Integer day, boolean today, List<CampaignCalendar.Entry> entries) {
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> month(HttpRequest<?> request, @Nullable @QueryValue String month) {
        ZoneId zone = zones.of(request);
        LocalDate today = LocalDate.now(clock.withZone(zone));
        YearMonth shown = parse(month, YearMonth.from(today));
        Map<LocalDate, List<CampaignCalendar.Entry>> sends = calendar.month(shown, zone);
        List<List<Day>> weeks = new ArrayList<>();
        List<Day> week = new ArrayList<>();
        int padding = shown.atDay(1).getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
        for (int i = 0; i < padding; i++) {
            week.add(new Day(null, false, List.of()));
        }
        for (int d = 1; d <= shown.lengthOfMonth(); d++) {
            LocalDate date = shown.atDay(d);
            week.add(new Day(d, date.equals(today), sends.getOrDefault(date, List.of())));
            if (week.size() == 7) {
                weeks.add(week);
                week = new ArrayList<>();
            }
        }
        if (!week.isEmpty()) {
            while (week.size() < 7) {
                week.add(new Day(null, false, List.of()));
            }
            weeks.add(week);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", TITLE.format(shown));
        model.put("weeks", weeks);
        model.put("previous", shown.minusMonths(1).toString());
        model.put("next", shown.plusMonths(1).toString());
        model.put("empty", sends.isEmpty());
        model.put("zoneName", zone.getId());
        return pages.page(request, "campaigns/calendar", model);
    }

    private static YearMonth parse(@Nullable String month, YearMonth fallback) {
        if (month == null || month.isBlank()) {
            return fallback;
        }
        try {
            YearMonth m = YearMonth.parse(month.strip());
            return m.getYear() < 2000 || m.getYear() > 2200 ? fallback : m;
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
