package health.outreach.webhook;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends due webhooks on this node: one claimer thread takes a batch (its own short transaction), a
 * small pool sends it, and each outcome is committed on its own as soon as it is known. The claimer
 * waits for the whole batch before claiming again, so a node never holds a delivery twice.
 */
@Singleton
public class WebhookDispatcher implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final Deliveries deliveries;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final ExecutorService pool;
    private volatile Thread claimer;
    private volatile boolean running;

    WebhookDispatcher(Deliveries deliveries, WebhookSender sender, WebhookSettings settings,
                      TransactionOperations<Connection> transactions, Clock clock) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(Math.max(1, settings.concurrency()), r -> {
            Thread t = new Thread(r, "webhook-sender");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        if (settings.enabled()) {
            start();
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        claimer = new Thread(this::run, "webhook-claimer");
        claimer.setDaemon(true);
        claimer.start();
    }

    /**
     * Claims what is due now and sends it, waiting for every outcome to be recorded; answers how many
     * were attempted. The claimer thread calls it in a loop; tests may call it directly.
     */
    public synchronized int deliverDue() {
        List<Deliveries.Claim> claims = transactions.executeWrite(s -> deliveries.claim(clock.instant(), settings.batchSize()));
        List<Future<?>> sends = new ArrayList<>();
        for (Deliveries.Claim c : claims) {
            sends.add(pool.submit(() -> {
                WebhookSender.Outcome outcome = sender.send(new WebhookSender.Request(c.url(), c.webhookId(), c.body(), c.secrets()));
                transactions.executeWrite(s -> {
                    deliveries.record(c, outcome, clock.instant());
                    return null;
                });
            }));
        }
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                // its lease runs out and it is claimed again: nothing is lost
                LOG.warn("Recording a webhook attempt failed", e.getCause());
            }
        }
        return claims.size();
    }

    private void run() {
        while (running) {
            int attempted = 0;
            try {
                attempted = deliverDue();
            } catch (RuntimeException e) {
                LOG.warn("Claiming webhooks failed; trying again shortly", e);
            }
            if (attempted == 0 && running) {
                LockSupport.parkNanos(settings.pollInterval().toNanos());
            }
        }
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        Thread t = claimer;
        if (t != null) {
            LockSupport.unpark(t);
        }
        pool.shutdown();
        try {
            pool.awaitTermination(settings.connectTimeout().plus(settings.readTimeout()).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
