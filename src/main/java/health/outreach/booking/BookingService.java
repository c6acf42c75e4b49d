package health.outreach.booking;

import health.outreach.announce.Announcements;
import health.outreach.announce.EventData;
import health.outreach.campaign.Enrollments;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.common.ProblemException;
import health.outreach.contact.ContactNormalizer;
import health.outreach.config.OutreachConfig;
import health.outreach.tracking.MessageRef;
import health.outreach.tracking.Tokens;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import health.outreach.tracking.WebhookReceipts;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One model for bookings from the booking page, clinic webhooks (JSON or FHIR) and CSV. A clinic's
 * booking id makes intake idempotent: the same (clinic, booking id) again is that booking, whose
 * status may only move forward ({@link BookingStatus}). A new booking is attributed and stops the
 * contact's remaining steps in the attributed campaign, whatever its status (a request from the page
 * is enough). Every move of status is an event and moves the counters, all in the caller's transaction.
 */
@Singleton
public class BookingService {

    @Serdeable
    public record Recorded(long bookingId, boolean created, String status, String attribution, @Nullable Long campaignId,
                           @Nullable Long stepId, @Nullable Channel channel) {
    }

    private final Jdbc jdbc;
    private final Tokens tokens;
    private final BookingCounts counts;
    private final BookingEvents moves;
    private final Clock clock;
    private final ContactNormalizer normalizer;
    private final Enrollments enrollments;
    private final WebhookReceipts seen;
    private final Announcements announcements;

    BookingService(Jdbc jdbc, Tokens tokens, BookingCounts counts, BookingEvents moves, Clock clock,
                   OutreachConfig config, Enrollments enrollments, WebhookReceipts seen, Announcements announcements) {
        this.announcements = announcements;
        this.enrollments = enrollments;
        this.seen = seen;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.counts = counts;
        this.moves = moves;
        this.clock = clock;
        this.normalizer = new ContactNormalizer(config.phoneDefaultRegion(), "en");
    }

    /**
     * A booking a clinic posted, once per webhook delivery ({@code receipt}): a replay records
     * nothing and answers empty. In one transaction with the receipt.
     */
    @Transactional
    public Optional<Recorded> recordOnce(String receipt, String webhookId, BookingIntake in) {
        return seen.first(receipt, webhookId) ? Optional.of(record(in)) : Optional.empty();
    }

    /** A request from a message's booking page, in its own transaction. */
    @Transactional
    public Recorded request(BookingIntake in) {
        return record(in);
    }

    /** Call inside a transaction. @throws ProblemException when the status is unknown or no contact matches */
    public Recorded record(BookingIntake in) {
        BookingStatus status = BookingStatus.parse(in.status(), "status");
        if (in.externalId() != null && in.clinicId() != null) {
            Optional<Recorded> existing = update(in, status);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        long contactId = contact(in).orElseThrow(() -> ProblemException.invalid("contact",
                "no contact matches the booking's token, email or phone"));
        if (in.source().equals("PAGE")) {
            // One open request per person and week: resubmitting the form does not queue more calls for the clinic.
            Optional<Recorded> open = jdbc.queryOne(EXISTING + "WHERE contact_id = ? AND source = 'PAGE' AND status = 'REQUESTED' "
                    + "AND requested_at > ? ORDER BY id DESC LIMIT 1", BookingService::existing, contactId, in.occurredAt().minus(Duration.ofDays(7)));
            if (open.isPresent()) {
                return open.get();
            }
        }
        // A booking that arrives already cancelled never led anywhere: it is kept, credited to no one.
        Attribution.Result attribution = status == BookingStatus.CANCELLED
                ? new Attribution.Result(Attribution.Kind.UNATTRIBUTED, null, null, null)
                : Attribution.attribute(in.occurredAt(), touches(contactId, in.occurredAt()), holdouts(contactId),
                in.token() == null ? null : tokens.message(in.token()).map(MessageRef::id).orElse(null));
        Attribution.Touch touch = attribution.touch();
        long id = jdbc.insert("""
                        INSERT INTO booking (contact_id, clinic_id, source, external_id, status, requested_at, appointment_at,
                                             preferred_times, contact_method, attribution, campaign_id, step_id, message_id,
                                             channel, template_version_id, touch, touched_at, created_at, status_changed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                contactId, in.clinicId(), in.source(), in.externalId(), status.name(), in.occurredAt(), in.appointmentAt(),
                in.preferredTimes(), in.contactMethod(), attribution.kind(), attribution.campaignId(),
                touch == null ? null : touch.stepId(), touch == null ? null : touch.messageId(),
                touch == null ? null : touch.channel(), touch == null ? null : touch.versionId(), attribution.via(),
                touch == null ? null : (!attribution.via().equals("DELIVERED") && touch.clickedAt() != null ? touch.clickedAt()
                        : touch.deliveredAt() != null ? touch.deliveredAt() : touch.sentAt()), clock.instant(), in.occurredAt());
        if (attribution.campaignId() != null) {
            enrollments.booked(attribution.campaignId(), contactId, in.occurredAt(), clock.instant()).ifPresent(enrolled ->
                    jdbc.update("UPDATE booking SET days_to_booking = ? WHERE id = ?",
                            Math.max(0, Duration.between(enrolled, in.occurredAt()).toDays()), id));
        }
        counts.changed(id, null);
        moves.moved(id, null, status.name(), in.source(), in.occurredAt());
        announceCreated(id, contactId, in, status, attribution);
        return new Recorded(id, true, status.name(), attribution.kind().name(), attribution.campaignId(),
                touch == null ? null : touch.stepId(), touch == null ? null : touch.channel());
    }

    private static final String EXISTING = "SELECT id, status, attribution, campaign_id, step_id, channel FROM booking ";

    private static Recorded existing(ResultSet rs) throws SQLException {
        return new Recorded(rs.getLong(1), false, rs.getString(2), rs.getString(3), Jdbc.nullableLong(rs, "campaign_id"),
                Jdbc.nullableLong(rs, "step_id"), rs.getString(6) == null ? null : Channel.valueOf(rs.getString(6)));
    }

    /**
     * A booking the clinic sent before: its status moves if the news is ahead of it, and nothing
     * else about it changes (its attribution was decided when it was made). Locked, so two updates
     * of one booking arriving together move it, and its counts, once.
     */
    private Optional<Recorded> update(BookingIntake in, BookingStatus arriving) {
        return jdbc.queryOne(EXISTING + "WHERE clinic_id = ? AND external_id = ? FOR UPDATE", BookingService::existing,
                in.clinicId(), in.externalId()).map(existing -> BookingStatus.next(BookingStatus.valueOf(existing.status()), arriving)
                .map(next -> {
                    Instant now = clock.instant();
                    jdbc.update("UPDATE booking SET status = ?, status_changed_at = ?, appointment_at = COALESCE(?, appointment_at) "
                            + "WHERE id = ?", next.name(), now, in.appointmentAt(), existing.bookingId());
                    counts.changed(existing.bookingId(), existing.status());
                    moves.moved(existing.bookingId(), existing.status(), next.name(), in.source(), now);
                    announceStatusChange(existing.bookingId(), existing.status(), next.name());
                    return new Recorded(existing.bookingId(), false, next.name(), existing.attribution(), existing.campaignId(),
                            existing.stepId(), existing.channel());
                }).orElse(existing));
    }

    private void announceCreated(long bookingId, long contactId, BookingIntake in, BookingStatus status, Attribution.Result attribution) {
        announcements.announce(new EventData.BookingCreated(bookingId, contactId, in.clinicId(), status.name(), in.source()));
        Attribution.Touch t = attribution.touch();
        if (attribution.kind() == Attribution.Kind.ATTRIBUTED && t != null) {
            announcements.announce(new EventData.BookingAttributed(bookingId, contactId, t.campaignId(), t.stepId(), t.messageId(),
                    t.channel(), attribution.via()));
        }
    }

    /** Wherever a booking's status moves: one event saying from what to what. */
    private void announceStatusChange(long bookingId, String from, String to) {
        jdbc.queryOne("SELECT contact_id FROM booking WHERE id = ?", rs -> rs.getLong(1), bookingId).ifPresent(contactId ->
                announcements.announce(new EventData.BookingStatusChanged(bookingId, contactId, from, to)));
    }

    private Optional<Long> contact(BookingIntake in) {
        if (in.token() != null) {
            Optional<MessageRef> m = tokens.message(in.token());
            if (m.isPresent()) {
                return Optional.of(m.get().contactId());
            }
        }
        String email = in.email() == null ? null : normalizer.normalizeEmail(in.email());
        if (email != null) {
            Optional<Long> id = jdbc.queryOne("SELECT id FROM contact WHERE email = ? AND erased_at IS NULL", rs -> rs.getLong(1), email);
            if (id.isPresent()) {
                return id;
            }
        }
        String phone = in.phone() == null ? null : normalizer.normalizePhone(in.phone());
        return phone == null ? Optional.empty()
                : jdbc.queryOne("SELECT id FROM contact WHERE phone = ? AND erased_at IS NULL", rs -> rs.getLong(1), phone);
    }

    private List<Attribution.Touch> touches(long contactId, Instant bookedAt) {
        return jdbc.query("SELECT m.id, m.campaign_id, m.step_id, m.channel, m.template_version_id, m.clicked_at, m.delivered_at, "
                        + "m.sent_at, c.attribution_window_days FROM message m JOIN campaign c ON c.id = m.campaign_id "
                        + "WHERE m.contact_id = ? AND m.sent_at IS NOT NULL AND m.sent_at >= ?",
                rs -> new Attribution.Touch(rs.getLong(1), rs.getLong(2), Jdbc.nullableLong(rs, "step_id"),
                        Channel.valueOf(rs.getString(4)), Jdbc.nullableLong(rs, "template_version_id"),
                        Jdbc.instant(rs, "clicked_at"), Jdbc.instant(rs, "delivered_at"), Jdbc.instant(rs, "sent_at"),
                        rs.getInt(9)), contactId, bookedAt.minus(Duration.ofDays(366)));
    }

    private List<Attribution.Holdout> holdouts(long contactId) {
        return jdbc.query("SELECT e.campaign_id, e.enrolled_at, c.attribution_window_days FROM enrollment e "
                        + "JOIN campaign c ON c.id = e.campaign_id WHERE e.contact_id = ? AND e.holdout",
                rs -> new Attribution.Holdout(rs.getLong(1), Jdbc.instant(rs, "enrolled_at"), rs.getInt(3)), contactId);
    }
}
