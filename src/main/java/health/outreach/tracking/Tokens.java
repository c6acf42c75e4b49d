package health.outreach.tracking;

import health.outreach.config.TrackingSettings;
import health.outreach.common.Jdbc;
import health.outreach.common.MessageTokens;
import health.outreach.template.VersionLinks;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Resolves the opaque tokens of public links and headers. A token is 22 URL-safe characters: an
 * encrypted message id ({@link MessageTokens}), or, on messages sent before those, 128 random bits
 * stored on the row. Anything else, an unknown token, a message never handed to a dispatcher, one
 * older than the token lifetime, or one whose person was erased, resolves to nothing, and every
 * caller shows the same neutral page.
 */
@Singleton
public class Tokens {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern CLICK = Pattern.compile("([A-Za-z0-9_-]{22})-([1-9][0-9]{0,17})");

    private final Jdbc jdbc;
    private final Clock clock;
    private final TrackingSettings settings;
    private final MessageTokens codec;
    private final VersionLinks links;

    public Tokens(Jdbc jdbc, Clock clock, TrackingSettings settings, MessageTokens codec, VersionLinks links) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.codec = codec;
        this.links = links;
    }

    /** The message an action token (unsubscribe, preferences, booking, tracked link) names. */
    public Optional<MessageRef> message(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        OptionalLong id = codec.decode(token, MessageTokens.Purpose.ACTION);
        return id.isPresent() ? usable("m.id = ?", id.getAsLong()) : usable("m.token = ?", token);
    }

    /**
     * The message a token may unsubscribe from: the unsubscribe-only token of List-Unsubscribe, or
     * the action token of the body's links (and of the headers of emails sent before headers had their
     * own). {@code ownLinks}: the token is the action token, so the page may offer the preferences.
     */
    public Optional<Unsubscribing> unsubscribing(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        OptionalLong id = codec.decode(token, MessageTokens.Purpose.UNSUBSCRIBE);
        return id.isPresent() ? usable("m.id = ?", id.getAsLong()).map(m -> new Unsubscribing(m, false))
                : message(token).map(m -> new Unsubscribing(m, true));
    }

    public record Unsubscribing(MessageRef message, boolean ownLinks) {
    }

    /** The message an email's Message-ID names (a bounce, a complaint); older emails carried the action token there. */
    public Optional<MessageRef> byHeaderId(String headerId) {
        if (headerId == null || !TOKEN.matcher(headerId).matches()) {
            return Optional.empty();
        }
        OptionalLong id = codec.decode(headerId, MessageTokens.Purpose.MESSAGE_ID);
        return id.isPresent() ? usable("m.id = ?", id.getAsLong()) : message(headerId);
    }

    /** The action token of a message, as its links carry it. */
    public String tokenOf(long messageId) {
        return codec.encode(messageId, MessageTokens.Purpose.ACTION);
    }

    /**
     * A click token "{message token}-{link id}": the message and the URL stored for that link of the
     * message's template version (or, for older messages, the URL stored for the message itself).
     */
    public Optional<Click> click(String value) {
        var m = value == null ? null : CLICK.matcher(value);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        long link = Long.parseLong(m.group(2));
        boolean stored = codec.decode(m.group(1), MessageTokens.Purpose.ACTION).isEmpty();
        return message(m.group(1)).flatMap(ref -> stored
                ? jdbc.queryOne("SELECT url FROM tracked_link WHERE message_id = ? AND link_index = ?",
                        rs -> new Click(ref, link, rs.getString(1), true), ref.id(), link)
                : ref.templateVersionId() == null ? Optional.empty()
                : links.url(ref.templateVersionId(), link).map(url -> new Click(ref, link, url, false)));
    }

    /** {@code perMessageRow}: the link is a tracked_link row of the message (sent before links were per version). */
    public record Click(MessageRef message, long link, String url, boolean perMessageRow) {
    }

    // A token is issued when a dispatcher first claims the message, so it may be in the recipient's
    // hands from then on: while the send is being recorded (a mail scanner follows links within a
    // second), after an unknown outcome, during a retry. It lasts token-days from the send, or from
    // the last attempt of a message never recorded as sent.
    private Optional<MessageRef> usable(String where, Object key) {
        Instant since = clock.instant().minus(Duration.ofDays(settings.tokenDays()));
        return jdbc.queryOne(MessageRef.SELECT + "WHERE " + where + " AND m.attempts > 0 AND COALESCE(m.sent_at, m.updated_at) > ?",
                MessageRef::map, key, since).filter(ref -> ref.erasedAt() == null);
    }
}
