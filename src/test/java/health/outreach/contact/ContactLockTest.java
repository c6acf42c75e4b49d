package health.outreach.contact;

import health.outreach.common.Jdbc;
import health.outreach.support.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What an import relies on to never write back a stale consent: locking a contact that another
 * transaction is changing (an unsubscribe, say) waits for it, then reads the committed row, even
 * after the import found the row with a plain read first.
 */
@MicronautTest(transactional = false)
class ContactLockTest {

    @Inject
    Jdbc jdbc;

    @Inject
    ContactStore store;

    @Inject
    TransactionOperations<Connection> transactions;

    @Test
    void aLockWaitsForTheOtherWriterAndSeesItsCommit() throws Exception {
        String email = "lock-" + System.nanoTime() + "@example.org";
        long id = store.insert(new NormalizedContact(null, "Ana", "Before", email, null, "en", null, null, null, Map.of()),
                null, Instant.now());
        CountDownLatch firstHoldsLock = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWrite(status -> {
            store.lockForUpdate(List.of(id));
            jdbc.update("UPDATE contact SET last_name = 'After', email_consent = 'OPTED_OUT' WHERE id = ?", id);
            firstHoldsLock.countDown();
            awaitLatch(release);
            return null;
        }));
        firstHoldsLock.await(10, TimeUnit.SECONDS);
        // as the import does: find by key first (a plain read), then lock what was found
        CompletableFuture<ContactRow> second = CompletableFuture.supplyAsync(() -> transactions.executeWrite(status -> {
            long found = store.findByKeys(List.of(), List.of(email), List.of()).get(0).id();
            return store.lockForUpdate(List.of(found)).get(0);
        }));
        await("the second writer blocked on the first one's row lock").atMost(Duration.ofSeconds(30))
                .until(() -> sessionsWaitingForALock() > 0);
        assertFalse(second.isDone(), "the second writer must wait for the first one's lock");
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        ContactRow seen = second.get(10, TimeUnit.SECONDS);
        assertEquals("After", seen.lastName());
        assertEquals(ConsentState.OPTED_OUT, seen.emailConsent());
    }

    /** Sessions of this database blocked on another transaction's lock, as the database itself reports them. */
    private long sessionsWaitingForALock() {
        return TestDatabase.isPostgres()
                ? jdbc.queryLong("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                : jdbc.queryLong("SELECT COUNT(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
