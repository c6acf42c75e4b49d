package health.outreach.tracking;

import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Remembers webhook deliveries by id, so a replay (×1000) changes state once. Use inside the effect's transaction. */
@Singleton
public class WebhookReceipts {

    private final Jdbc jdbc;
    private final Clock clock;

    public WebhookReceipts(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** True the first time this (source, id) is seen. */
    public boolean first(String source, String id) {
        String key = id.length() > 200 ? id.substring(0, 200) : id;
        return jdbc.update("INSERT INTO webhook_receipt (source, webhook_id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                source, key, clock.instant()) == 1;
    }

    /** Forgets the ids received before the given time: no provider retries that late. */
    public void forgetBefore(Instant before) {
        jdbc.update("DELETE FROM webhook_receipt WHERE received_at < ?", before);
    }
}
