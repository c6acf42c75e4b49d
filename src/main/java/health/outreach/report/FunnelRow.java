package health.outreach.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One line of a breakdown (a step, a channel, a template version or a day): the report counters
 * summed. {@code failed} includes bounces; {@code clicked} counts messages clicked at least once;
 * {@code booked} and {@code attended} count people, at the step of the booking that counts them.
 */
@Serdeable
public record FunnelRow(String key, @Nullable String label, long queued, long sent, long delivered, long failed, long skipped,
                        long opened, long clicked, long clicks, long unsubscribed, long replied, long booked,
                        @Nullable Double bookedPerSent, long attended) {

    /** Adds counters into a mutable accumulator keyed by the breakdown's key. */
    static final class Sum {
        final String key;
        String label;
        long queued, sent, delivered, failed, skipped, opened, clicked, clicks, unsubscribed, replied, booked, attended;
        /** Totals only: sends whose outcome is unknown, and possible duplicates. */
        long unknown, duplicate;

        Sum(String key, String label) {
            this.key = key;
            this.label = label;
        }

        void add(Sum o) {
            queued += o.queued;
            sent += o.sent;
            delivered += o.delivered;
            failed += o.failed;
            skipped += o.skipped;
            opened += o.opened;
            clicked += o.clicked;
            clicks += o.clicks;
            unsubscribed += o.unsubscribed;
            replied += o.replied;
            booked += o.booked;
            attended += o.attended;
            unknown += o.unknown;
            duplicate += o.duplicate;
        }

        FunnelRow row() {
            return new FunnelRow(key, label, queued, sent, delivered, failed, skipped, opened, clicked, clicks, unsubscribed,
                    replied, booked, sent == 0 ? null : (double) booked / sent, attended);
        }
    }
}
