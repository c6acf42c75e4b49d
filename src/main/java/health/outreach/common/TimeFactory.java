package health.outreach.common;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** One clock for the whole service, so tests can move time instead of sleeping. */
@Factory
class TimeFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
