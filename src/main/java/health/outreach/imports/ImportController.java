package health.outreach.imports;

import health.outreach.common.ProblemException;
import health.outreach.security.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

@Controller("/api/v1/imports")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR, Roles.MANAGER})
class ImportController {

    private final ImportJobs jobs;

    ImportController(ImportJobs jobs) {
        this.jobs = jobs;
    }

    @Get("/{id}")
    ImportReport get(long id) {
        return jobs.find(id).orElseThrow(() -> ProblemException.notFound("Import", id));
    }
}
