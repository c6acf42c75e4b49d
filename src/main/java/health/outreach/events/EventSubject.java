package health.outreach.events;

import health.outreach.common.Channel;
import io.micronaut.core.annotation.Nullable;

/** The message an event is about, as far as the event log and the counters need to know it. */
public interface EventSubject {
    long id();

    long contactId();

    @Nullable Long campaignId();

    @Nullable Long stepId();

    Channel channel();

    @Nullable Long templateVersionId();
}
