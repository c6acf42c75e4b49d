package health.outreach.tracking;

import health.outreach.common.Jdbc;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves the opaque tokens of public links. A token is 22 URL-safe characters (128 random bits);
 * anything else, an unknown token, a message never handed to a dispatcher, one older than the token lifetime, or one
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
        // A token is issued when a dispatcher first claims the message, so it may be in the
        // recipient's hands from then on: while the send is being recorded (a mail scanner follows
        // links within a second), after an unknown outcome, during a retry. It lasts token-days
        // from the send, or from the last attempt of a message never recorded as sent.
        Instant since = clock.instant().minus(Duration.ofDays(settings.tokenDays()));
        return jdbc.queryOne(MessageRef.SELECT + "WHERE m.token = ? AND m.attempts > 0 AND COALESCE(m.sent_at, m.updated_at) > ?",
                MessageRef::map, token, since).filter(ref -> ref.erasedAt() == null);
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
}
