package health.outreach.schedule;

import health.outreach.campaign.CampaignSweep;
import health.outreach.delivery.Reclaimer;
import health.outreach.imports.ImportJobs;
import health.outreach.signup.SignupSweep;
import health.outreach.tracking.WebhookReceipts;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * The periodic safety net, fired by Quartz on one node at a time. Each feature sweeps its own rows:
 * the outbox takes back the claims of stopped nodes, campaigns launch, pause and complete, provider
 * webhook ids are forgotten once no provider retries them, imports that fell silent are failed, and
 * unconfirmed sign-ups are reminded once and then lapse.
 */
@Singleton
public class Sweep {

    // Webhook ids only need remembering while a provider might still retry (Twilio: hours;
    // Standard Webhooks: the 5-minute tolerance), so the table stays small.
    private static final Duration WEBHOOK_RETRY_HORIZON = Duration.ofDays(7);
    // A running import touches its row at least every 10 s.
    private static final Duration IMPORT_SILENCE = Duration.ofMinutes(1);

    private final Reclaimer reclaimer;
    private final CampaignSweep campaigns;
    private final WebhookReceipts receipts;
    private final ImportJobs imports;
    private final SignupSweep signups;
    private final Clock clock;

    public Sweep(Reclaimer reclaimer, CampaignSweep campaigns, WebhookReceipts receipts, ImportJobs imports, SignupSweep signups,
                 Clock clock) {
        this.signups = signups;
        this.reclaimer = reclaimer;
        this.campaigns = campaigns;
        this.receipts = receipts;
        this.imports = imports;
        this.clock = clock;
    }

    public void run() {
        reclaimer.reclaimOrphans();
        campaigns.sweep();
        receipts.forgetBefore(clock.instant().minus(WEBHOOK_RETRY_HORIZON));
        imports.failSilent(IMPORT_SILENCE);
        signups.sweep();
    }
}
