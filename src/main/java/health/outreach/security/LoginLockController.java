package health.outreach.security;

import health.outreach.common.ProblemException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.util.List;

/**
 * {@code /api/v1/login-locks}: the sign-in locks in force (a username from one address, or every
 * username from one address) and lifting one; administrators only, every lift audited.
 */
@Controller("/api/v1/login-locks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class LoginLockController {

    private final LoginThrottle throttle;

    LoginLockController(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Get
    List<LoginLocks.LoginLock> list() {
        return throttle.locks();
    }

    @Delete("/{id}")
    HttpResponse<Void> lift(long id) {
        throttle.lift(id).orElseThrow(() -> ProblemException.notFound("Login lock", id));
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }
}
