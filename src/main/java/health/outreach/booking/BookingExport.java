package health.outreach.booking;

import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/**
 * A campaign's bookings for analysts: the minimum necessary to study who booked after what (the
 * contact's id, the step, channel and variant credited, the status, the times and why the credit
 * went where it did). Names only when the caller may see them; nothing that says why a person came.
 */
@Singleton
public class BookingExport {

    public record Row(long bookingId, long contactId, @Nullable String firstName, @Nullable String lastName, long campaignId,
                      String campaign, @Nullable Integer step, @Nullable String channel, @Nullable String variant, String status,
                      String source, Instant requestedAt, @Nullable Instant statusChangedAt, @Nullable Instant appointmentAt,
                      String attribution, String reason, @Nullable Instant creditedAt) {
    }

    private final Jdbc jdbc;

    BookingExport(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Every booking credited to the campaign (messaged group and holdout), oldest first. */
    public List<Row> campaign(long campaignId, boolean names) {
        return jdbc.query("""
                        SELECT b.id, b.contact_id, c.first_name, c.last_name, b.campaign_id, cp.name AS campaign, s.step_order,
                               b.channel, b.status, b.source, b.requested_at, b.status_changed_at, b.appointment_at,
                               b.attribution, b.touch, b.touched_at
                        FROM booking b
                        JOIN campaign cp ON cp.id = b.campaign_id
                        LEFT JOIN campaign_step s ON s.id = b.step_id
                        LEFT JOIN contact c ON c.id = b.contact_id
                        WHERE b.campaign_id = ? ORDER BY b.id""",
                rs -> new Row(rs.getLong("id"), rs.getLong("contact_id"), names ? rs.getString("first_name") : null,
                        names ? rs.getString("last_name") : null, rs.getLong("campaign_id"), rs.getString("campaign"),
                        Jdbc.nullableInt(rs, "step_order"), rs.getString("channel"), null, rs.getString("status"),
                        rs.getString("source").toLowerCase(java.util.Locale.ROOT), Jdbc.instant(rs, "requested_at"),
                        Jdbc.instant(rs, "status_changed_at"), Jdbc.instant(rs, "appointment_at"), rs.getString("attribution"),
                        reason(rs.getString("attribution"), rs.getString("touch")), Jdbc.instant(rs, "touched_at")), campaignId);
    }

    /** Which rule credited the booking, in words a spreadsheet column can hold. */
    static String reason(String attribution, @Nullable String touch) {
        if (Attribution.Kind.HOLDOUT.name().equals(attribution)) {
            return "holdout: never messaged, enrolled inside the window";
        }
        if ("OWN_LINK".equals(touch)) {
            return "own link: the booking came through this message's link, received inside the window";
        }
        if ("CLICKED".equals(touch)) {
            return "clicked: the last message clicked inside the window";
        }
        if ("DELIVERED".equals(touch)) {
            return "delivered: the last message delivered inside the window, none clicked";
        }
        return "none: no message inside the window";
    }
}
