package health.outreach.booking;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A booking as it arrives, from any of the three ways in. The contact is named by a message token
 * (booking page, links) or by email or phone (clinic systems). {@code status} is as the source
 * wrote it ({@link BookingStatus#parse} reads it); {@code occurredAt} is when the person booked.
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
}
