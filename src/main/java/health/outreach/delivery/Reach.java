package health.outreach.delivery;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Collection;

/**
 * Tells the campaign that a message reached an enrolled person. The campaign keeps its enrollments
 * and decides which reach is the first one; the dispatcher only knows a message went out.
 */
public interface Reach {

    /** An enrolled person a message of the campaign reached, with what the audience report groups by. */
    record Person(long enrollmentId, long campaignId, @Nullable String postalCode, @Nullable String locale) {
    }

    /** In the caller's transaction; a person already reached before changes nothing. */
    void reached(Collection<Person> people, Instant at);
}
