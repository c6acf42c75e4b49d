package health.outreach.schedule;

import health.outreach.delivery.Sweeper;
import jakarta.inject.Singleton;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Every few seconds on one node of the cluster (the sweep is idempotent, so overlap is harmless). */
@Singleton
@DisallowConcurrentExecution
public class SweepJob implements Job {

    private final Sweeper sweeper;

    public SweepJob(Sweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public void execute(JobExecutionContext context) {
        sweeper.sweep();
    }
}
