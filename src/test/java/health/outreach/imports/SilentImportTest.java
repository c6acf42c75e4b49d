package health.outreach.imports;

import health.outreach.schedule.Sweep;
import health.outreach.common.Jdbc;
import health.outreach.support.MutableClock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An import whose node died mid-file is reported FAILED by the sweep, not RUNNING forever. */
@MicronautTest(transactional = false)
class SilentImportTest {

    @Inject
    ImportJobs jobs;

    @Inject
    Sweep sweeper;

    @Inject
    MutableClock clock;

    @Inject
    Jdbc jdbc;

    @Test
    void theSweepFailsImportsWhoseNodeWentSilentAndLeavesLiveOnes() {
        long dead = jobs.create("CONTACTS", "test");
        clock.advance(Duration.ofSeconds(61)); // a running import touches its row every 10 s at least
        long alive = jobs.create("CONTACTS", "test");
        sweeper.run();

        ImportReport deadReport = jobs.find(dead).orElseThrow();
        assertEquals("FAILED", deadReport.status());
        assertTrue(deadReport.failure().contains("upload the file again"), deadReport.failure());
        assertEquals("RUNNING", jobs.find(alive).orElseThrow().status());

        // A batch keeps a long import alive, and so does the writer's heartbeat while it waits for rows.
        clock.advance(Duration.ofSeconds(50));
        jobs.progress(alive, new ImportProgress(10));
        clock.advance(Duration.ofSeconds(50));
        jobs.heartbeat(alive);
        clock.advance(Duration.ofSeconds(50));
        sweeper.run();
        assertEquals("RUNNING", jobs.find(alive).orElseThrow().status());
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM import_job WHERE status = 'RUNNING'"));
    }
}
