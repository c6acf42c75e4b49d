package health.outreach.booking;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which message led to a booking. A booking made through a message's own booking page (its token
 * names the message) is that message's, when the person received it inside its window: they acted
 * on it, whatever arrived later. Otherwise the last message the contact clicked inside its campaign's
 * attribution window; if none, the last one delivered (or accepted by the provider, for email
 * without delivery receipts) inside the window; if none but the contact was in a campaign's holdout
 * inside the window, the booking counts for that control group; otherwise it is unattributed. Pure.
 */
public final class Attribution {

    public enum Kind { ATTRIBUTED, HOLDOUT, UNATTRIBUTED }

    /** A message the contact received: its campaign, step, channel, version, and touch times. */
    public record Touch(long messageId, long campaignId, @Nullable Long stepId, Channel channel, @Nullable Long versionId,
                        @Nullable Instant clickedAt, @Nullable Instant deliveredAt, @Nullable Instant sentAt, int windowDays) {
    }

    /** A holdout enrollment: enrolled, never messaged. */
    public record Holdout(long campaignId, Instant enrolledAt, int windowDays) {
    }

    /**
     * {@code via}: what the credit rests on: OWN_LINK (the booking came through the message's own
     * link), CLICKED (the last message clicked), DELIVERED (the last one delivered), null otherwise.
     */
    public record Result(Kind kind, @Nullable Long campaignId, @Nullable Touch touch, @Nullable String via) {
    }

    private Attribution() {
    }

    public static Result attribute(Instant bookedAt, List<Touch> touches, List<Holdout> holdouts) {
        return attribute(bookedAt, touches, holdouts, null);
    }

    /** {@code actedOn}: the message whose booking page the booking came through, or null. */
    public static Result attribute(Instant bookedAt, List<Touch> touches, List<Holdout> holdouts, @Nullable Long actedOn) {
        Optional<Touch> own = actedOn == null ? Optional.empty() : touches.stream()
                .filter(t -> t.messageId() == actedOn && within(reached(t), bookedAt, t.windowDays()))
                .findFirst();
        if (own.isPresent()) {
            return new Result(Kind.ATTRIBUTED, own.get().campaignId(), own.get(), "OWN_LINK");
        }
        Optional<Touch> clicked = touches.stream()
                .filter(t -> within(t.clickedAt(), bookedAt, t.windowDays()))
                .max(Comparator.comparing(Touch::clickedAt));
        if (clicked.isPresent()) {
            return new Result(Kind.ATTRIBUTED, clicked.get().campaignId(), clicked.get(), "CLICKED");
        }
        Optional<Touch> delivered = touches.stream()
                .filter(t -> within(reached(t), bookedAt, t.windowDays()))
                .max(Comparator.comparing(Attribution::reached));
        if (delivered.isPresent()) {
            return new Result(Kind.ATTRIBUTED, delivered.get().campaignId(), delivered.get(), "DELIVERED");
        }
        return holdouts.stream()
                .filter(h -> within(h.enrolledAt(), bookedAt, h.windowDays()))
                .max(Comparator.comparing(Holdout::enrolledAt))
                .map(h -> new Result(Kind.HOLDOUT, h.campaignId(), null, null))
                .orElse(new Result(Kind.UNATTRIBUTED, null, null, null));
    }

    private static Instant reached(Touch t) {
        return t.deliveredAt() != null ? t.deliveredAt() : t.sentAt();
    }

    private static boolean within(Instant at, Instant bookedAt, int windowDays) {
        return at != null && !at.isAfter(bookedAt) && !at.isBefore(bookedAt.minus(Duration.ofDays(windowDays)));
    }
}
