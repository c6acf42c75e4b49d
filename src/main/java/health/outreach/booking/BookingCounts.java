package health.outreach.booking;

import health.outreach.campaign.Enrollments;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.events.AudienceCounters;
import health.outreach.events.CampaignMetric;
import health.outreach.events.Counters;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the report counters when a booking is recorded or changes status, in the caller's
 * transaction: the campaign's bookings by status, and the people who booked and who attended (see
 * {@link ConversionMoves}). A change is counted once because it is applied with the status write it
 * follows; the person's enrollment is locked first, so two bookings of one person changing at once
 * cannot both believe they are the first. {@code events.CounterRebuild} recounts by the same rules.
 */
@Singleton
class BookingCounts {

    private final Jdbc jdbc;
    private final Counters counters;
    private final AudienceCounters audience;
    private final Enrollments enrollments;

    BookingCounts(Jdbc jdbc, Counters counters, AudienceCounters audience, Enrollments enrollments) {
        this.jdbc = jdbc;
        this.counters = counters;
        this.audience = audience;
        this.enrollments = enrollments;
    }

    /** Call after writing the booking's new status; {@code was} is the status before, null for a new booking. */
    void changed(long bookingId, @Nullable String was) {
        record Head(long contactId, @Nullable Long campaignId, String attribution, String status) {
        }
        Head b = jdbc.queryOne("SELECT contact_id, campaign_id, attribution, status FROM booking WHERE id = ?",
                rs -> new Head(rs.getLong(1), Jdbc.nullableLong(rs, "campaign_id"), rs.getString(3), rs.getString(4)), bookingId)
                .orElseThrow();
        if (b.campaignId() == null || b.attribution().equals(Attribution.Kind.UNATTRIBUTED.name())) {
            return;
        }
        long campaignId = b.campaignId();
        boolean holdout = b.attribution().equals(Attribution.Kind.HOLDOUT.name());
        enrollments.lock(campaignId, b.contactId());
        List<ConversionMoves.Counted> bookings = jdbc.query("SELECT id, status, step_id, channel, template_version_id, requested_at "
                        + "FROM booking WHERE campaign_id = ? AND contact_id = ? AND attribution = ?",
                rs -> new ConversionMoves.Counted(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                        LocalDate.ofInstant(Jdbc.instant(rs, "requested_at"), ZoneOffset.UTC)),
                campaignId, b.contactId(), b.attribution());
        List<ConversionMoves.Move> moves = ConversionMoves.of(bookings, bookingId, was);

        Map<CampaignMetric, Long> campaign = new EnumMap<>(CampaignMetric.class);
        if (!holdout) {
            if (was != null) {
                campaign.merge(CampaignMetric.bookings(was), -1L, Long::sum);
            }
            campaign.merge(CampaignMetric.bookings(b.status()), 1L, Long::sum);
        }
        moves.forEach(m -> campaign.merge(m.conversion().people(holdout), (long) m.people(), Long::sum));
        counters.add(campaignId, campaign);
        if (holdout || moves.isEmpty()) {
            return; // the holdout was never messaged: no step to count it at
        }
        List<Counters.Increment> steps = new ArrayList<>();
        for (ConversionMoves.Move m : moves) {
            if (m.before() != null) {
                steps.add(increment(campaignId, m.before(), m, -1));
            }
            if (m.after() != null) {
                steps.add(increment(campaignId, m.after(), m, 1));
            }
        }
        counters.add(steps);
        AudienceCounters.Person person = jdbc.queryOne("SELECT postal_code, locale FROM contact WHERE id = ?",
                rs -> new AudienceCounters.Person(campaignId, rs.getString(1), rs.getString(2)), b.contactId()).orElseThrow();
        moves.stream().filter(m -> m.people() != 0).forEach(m -> audience.converted(person, m.conversion(), m.people()));
    }

    private static Counters.Increment increment(long campaignId, ConversionMoves.Counted c, ConversionMoves.Move m, long amount) {
        return new Counters.Increment(campaignId, c.stepId(), Channel.valueOf(c.channel()), c.versionId(), c.day(),
                m.conversion().metric(), amount);
    }
}
