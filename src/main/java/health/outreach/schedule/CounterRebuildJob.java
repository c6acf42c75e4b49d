package health.outreach.schedule;

import health.outreach.audit.AuditLog;
import health.outreach.events.CounterRebuild;
import jakarta.inject.Singleton;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

import java.util.Map;

/** Nightly, on one node: recount the report counters, repair any drift and leave a record of it. */
@Singleton
@DisallowConcurrentExecution
public class CounterRebuildJob implements Job {

    private final CounterRebuild rebuild;
    private final AuditLog audit;

    public CounterRebuildJob(CounterRebuild rebuild, AuditLog audit) {
        this.rebuild = rebuild;
        this.audit = audit;
    }

    @Override
    public void execute(JobExecutionContext context) {
        CounterRebuild.Result result = rebuild.all(true);
        audit.record("reports.rebuild", "report_counter", "all", Map.of("campaigns", result.campaigns(),
                "drift", result.drift().size()));
    }
}
