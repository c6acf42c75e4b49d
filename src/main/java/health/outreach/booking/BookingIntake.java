package health.outreach.booking;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A booking as it arrives, from any of the three ways in. The contact is named by a message token
 * (booking page, links) or by email or phone (clinic systems).
 */
public record BookingIntake(@Nullable Long clinicId,
                            String source,
                            @Nullable String externalId,
                            String status,
                            @Nullable Instant appointmentAt,
                            @Nullable String preferredTimes,
                            @Nullable String contactMethod,
                            @Nullable String token,
                            @Nullable String email,
                            @Nullable String phone,
                            Instant occurredAt) {

    public static final java.util.Set<String> STATUSES = java.util.Set.of("REQUESTED", "BOOKED", "CANCELLED", "ATTENDED");
}
