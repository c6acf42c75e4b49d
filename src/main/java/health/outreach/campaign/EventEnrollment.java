package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.Reachability;
import health.outreach.events.CampaignMetric;
import health.outreach.events.Counters;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Enrollment of one person when something happens to them (they confirmed a sign-up), not at launch
 * or by cron. The campaign's segment is not applied: the event is the reason to enroll. The person
 * must be reachable on one of the campaign's channels, and the messages are planned by the same
 * fan-out as a launch, so the first one goes at the next allowed time in their zone. Call inside a
 * transaction.
 */
@Singleton
public class EventEnrollment {

    /** What happened; NOT_RUNNING: the campaign is not taking people now (see {@link #status}). */
    public enum Result { ENROLLED, ALREADY_ENROLLED, NOT_REACHABLE, NOT_RUNNING, NO_CAMPAIGN }

    /** Campaigns that take new people: a paused one keeps their messages until it resumes. */
    private static final Set<CampaignStatus> OPEN = Set.of(CampaignStatus.RUNNING, CampaignStatus.PAUSED);

    private final CampaignStore store;
    private final FanOut fanOut;
    private final Counters counters;
    private final Jdbc jdbc;
    private final Clock clock;

    EventEnrollment(CampaignStore store, FanOut fanOut, Counters counters, Jdbc jdbc, Clock clock) {
        this.store = store;
        this.fanOut = fanOut;
        this.counters = counters;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The campaign's status, for callers that must say why nobody was enrolled; empty when it does not exist. */
    public java.util.Optional<String> status(long campaignId) {
        return store.find(campaignId).map(c -> c.status().name());
    }

    public Result enroll(long campaignId, long contactId) {
        // Locked like a launch batch, so a launch or a status change cannot interleave with this enrollment.
        CampaignStore.CampaignRow c = store.lock(campaignId).orElse(null);
        if (c == null) {
            return Result.NO_CAMPAIGN;
        }
        if (!OPEN.contains(c.status())) {
            return Result.NOT_RUNNING;
        }
        if (jdbc.queryLong("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ? AND contact_id = ?", campaignId, contactId) > 0) {
            return Result.ALREADY_ENROLLED;
        }
        List<CampaignStore.StepRow> steps = store.steps(campaignId);
        Set<Channel> channels = steps.stream().map(CampaignStore.StepRow::channel).collect(Collectors.toCollection(LinkedHashSet::new));
        if (channels.isEmpty()) {
            return Result.NOT_REACHABLE;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String reachable = channels.stream().map(Reachability::sql).collect(Collectors.joining(" OR "));
        List<Object> params = new ArrayList<>(List.of(c.id(), now, c.id(), c.holdoutPercent(), c.timeZone(), contactId));
        channels.forEach(ch -> params.add(now));
        // The holdout hash is the launch's, so a person lands in the same group however they were enrolled.
        int enrolled = jdbc.update("INSERT INTO enrollment (campaign_id, contact_id, enrolled_at, holdout, time_zone, status) "
                + "SELECT ?, c.id, ?, MOD(c.id * 7919 + ?, 100) < ?, COALESCE(c.time_zone, cl.time_zone, ?), 'ACTIVE' "
                + "FROM contact c LEFT JOIN clinic cl ON cl.id = c.clinic_id "
                + "WHERE c.id = ? AND c.erased_at IS NULL AND (" + reachable + ")", params.toArray());
        if (enrolled == 0) {
            return Result.NOT_REACHABLE;
        }
        long holdout = jdbc.queryLong("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ? AND contact_id = ? AND holdout",
                campaignId, contactId);
        FanOut.Result written = fanOut.messagesFor(c, steps, contactId - 1, contactId, now);
        counters.add(c.id(), Map.of(CampaignMetric.ENROLLED, 1L, CampaignMetric.HOLDOUT, holdout,
                CampaignMetric.SKIPPED_NO_DATE, written.skippedNoDate()));
        counters.add(written.queued());
        return Result.ENROLLED;
    }
}
