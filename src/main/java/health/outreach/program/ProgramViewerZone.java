package health.outreach.program;

import health.outreach.web.ViewerZone;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.time.ZoneId;

/** Staff see times in the program's time zone: where its clinics and coordinators work. */
@Singleton
class ProgramViewerZone implements ViewerZone {

    private final ProgramService program;

    ProgramViewerZone(ProgramService program) {
        this.program = program;
    }

    @Override
    public ZoneId of(HttpRequest<?> request) {
        return ZoneId.of(program.current().defaultTimeZone());
    }
}
