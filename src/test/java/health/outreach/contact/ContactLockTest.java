package health.outreach.contact;

import health.outreach.common.Jdbc;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
            await(release);
            return null;
        }));
        firstHoldsLock.await(10, TimeUnit.SECONDS);
        // as the import does: find by key first (a plain read), then lock what was found
        CompletableFuture<ContactRow> second = CompletableFuture.supplyAsync(() -> transactions.executeWrite(status -> {
            long found = store.findByKeys(List.of(), List.of(email), List.of()).get(0).id();
            return store.lockForUpdate(List.of(found)).get(0);
        }));
        Thread.sleep(300);
        assertFalse(second.isDone(), "the second writer must wait for the first one's lock");
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        ContactRow seen = second.get(10, TimeUnit.SECONDS);
        assertEquals("After", seen.lastName());
        assertEquals(ConsentState.OPTED_OUT, seen.emailConsent());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
