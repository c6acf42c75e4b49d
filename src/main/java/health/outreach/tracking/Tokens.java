package health.outreach.tracking;

import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves the opaque tokens of public links. A token is 22 URL-safe characters (128 random bits);
 * anything else, an unknown token, a message never sent, one older than the token lifetime, or one
 * whose person was erased, resolves to nothing, and every caller shows the same neutral page.
 */
@Singleton
public class Tokens {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern CLICK = Pattern.compile("([A-Za-z0-9_-]{22})-([1-9][0-9]{0,2})");

    private final Jdbc jdbc;
    private final Clock clock;
    private final TrackingSettings settings;

    public Tokens(Jdbc jdbc, Clock clock, TrackingSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    public Optional<MessageRef> message(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        return jdbc.queryOne(MessageRef.SELECT + "WHERE m.token = ?", MessageRef::map, token).filter(this::usable);
    }

    /** A click token "{message token}-{link index}": the message and the URL stored for that link. */
    public Optional<Click> click(String value) {
        var m = value == null ? null : CLICK.matcher(value);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        int index = Integer.parseInt(m.group(2));
        return message(m.group(1)).flatMap(ref -> jdbc.queryOne("SELECT url FROM tracked_link WHERE message_id = ? AND link_index = ?",
                rs -> new Click(ref, index, rs.getString(1)), ref.id(), index));
    }

    public record Click(MessageRef message, int index, String url) {
    }

    private boolean usable(MessageRef ref) {
        return ref.erasedAt() == null && ref.sentAt() != null
                && ref.sentAt().isAfter(clock.instant().minus(Duration.ofDays(settings.tokenDays())));
    }
}
