package health.outreach.config;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8058 one-click unsubscribe needs an https URL: mailbox providers ignore a List-Unsubscribe-Post
 * header whose URL is plain http. A public URL on http is fine on this machine (loopback) and wrong
 * anywhere else, so it is logged once at start and shown on the admin dashboard.
 */
@Singleton
public class PublicUrlCheck implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PublicUrlCheck.class);

    private final Optional<String> warning;

    PublicUrlCheck(OutreachConfig config) {
        this.warning = warning(config.publicUrl());
    }

    /** The warning for this node's public URL, if it deserves one. */
    public Optional<String> warning() {
        return warning;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        warning.ifPresent(LOG::warn);
    }

    static Optional<String> warning(String publicUrl) {
        URI uri;
        try {
            uri = URI.create(publicUrl.strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("The public URL '" + publicUrl + "' is not a URL: links in messages will not work. "
                    + "Set OUTREACH_PUBLIC_URL to the https address community members reach.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (scheme.equals("http") && isLoopback(uri.getHost()))) {
            return Optional.empty();
        }
        return Optional.of("The public URL " + publicUrl + " is not https: mailbox providers ignore one-click unsubscribe "
                + "(RFC 8058) on plain http, and links in messages travel unencrypted. Set OUTREACH_PUBLIC_URL to the "
                + "https address community members reach.");
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost: never resolved here, it may point anywhere
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
