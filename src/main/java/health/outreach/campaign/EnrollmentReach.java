package health.outreach.campaign;

import health.outreach.common.Jdbc;
import health.outreach.delivery.Reach;
import health.outreach.events.AudienceCounters;
import health.outreach.events.CampaignMetric;
import health.outreach.events.Counters;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Marks an enrollment's first reach and counts it, once, for the campaign and its audience report. */
@Singleton
class EnrollmentReach implements Reach {

    private static final String[] ID = {"id"};

    private final Jdbc jdbc;
    private final Counters counters;
    private final AudienceCounters audience;

    EnrollmentReach(Jdbc jdbc, Counters counters, AudienceCounters audience) {
        this.jdbc = jdbc;
        this.counters = counters;
        this.audience = audience;
    }

    @Override
    public void reached(Collection<Person> people, Instant at) {
        Map<Long, Person> byEnrollment = new TreeMap<>();
        people.forEach(p -> byEnrollment.putIfAbsent(p.enrollmentId(), p));
        if (byEnrollment.isEmpty()) {
            return;
        }
        // One statement: the enrollments this one marked are the first reaches. Two nodes recording
        // two steps of one enrollment at once: the second waits for the first's row lock, then finds
        // it reached and changes nothing. Rows are locked in id order (the index), so no deadlock.
        List<Long> first = jdbc.updateReturning("UPDATE enrollment SET first_reached_at = ? WHERE id = ANY (?) "
                + "AND first_reached_at IS NULL", ID, rs -> rs.getLong(1), at, Jdbc.array("bigint", List.copyOf(byEnrollment.keySet())));
        if (first.isEmpty()) {
            return;
        }
        Map<Long, Long> perCampaign = new TreeMap<>();
        List<AudienceCounters.Person> reached = new ArrayList<>();
        for (Long id : first) {
            Person p = byEnrollment.get(id);
            perCampaign.merge(p.campaignId(), 1L, Long::sum);
            reached.add(new AudienceCounters.Person(p.campaignId(), p.postalCode(), p.locale()));
        }
        perCampaign.forEach((campaign, n) -> counters.add(campaign, CampaignMetric.REACHED, n));
        audience.reached(reached);
    }
}
