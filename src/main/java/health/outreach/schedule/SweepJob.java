package health.outreach.schedule;

import jakarta.inject.Singleton;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Every few seconds on one node of the cluster (the sweep is idempotent, so overlap is harmless). */
@Singleton
@DisallowConcurrentExecution
public class SweepJob implements Job {

    private final Sweep sweep;

    public SweepJob(Sweep sweep) {
        this.sweep = sweep;
    }

    @Override
    public void execute(JobExecutionContext context) {
        sweep.run();
    }
}
