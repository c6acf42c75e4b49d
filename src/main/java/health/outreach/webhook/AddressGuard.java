package health.outreach.webhook;

import jakarta.inject.Singleton;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may go (SSRF): a public address over https. Loopback, private, link-local (the cloud
 * metadata service at 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved and
 * unspecified addresses are refused unless {@code allow-private-addresses} is set; plain http only to
 * loopback, or anywhere when {@code require-https} is off. Checked when an endpoint is registered and
 * again before every send, against every address the name resolves to then: a name that resolved to
 * a public address at registration may point inside later (DNS rebinding).
 */
@Singleton
class AddressGuard {

    /** Why a destination is refused, in words for the attempt log and the form. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final WebhookSettings settings;

    AddressGuard(WebhookSettings settings) {
        this.settings = settings;
    }

    /** At registration: what is wrong with the URL, in words a person can act on; empty when it may be used. */
    Optional<String> problem(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host(uri));
        } catch (UnknownHostException e) {
            // Not resolvable from here now (DNS down, a name not yet published): the send-time check decides.
            return uri.getScheme().equals("https") || !settings.requireHttps() ? Optional.empty()
                    : Optional.of("must start with https:// (plain http only to this machine)");
        }
        try {
            check(uri, addresses);
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Before a send: resolves the host and checks every address. The JVM keeps a successful lookup
     * for 30 s (networkaddress.cache.ttl), so the HTTP client's own lookup a moment later gets these
     * same addresses, whatever TTL the name's DNS server gave.
     */
    void checkBeforeSend(URI uri) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host(uri));
        } catch (UnknownHostException e) {
            throw new Refused("the host name does not resolve: " + uri.getHost());
        }
        check(uri, addresses);
    }

    static URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("must be an https:// URL");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("must name a host, as in https://hooks.example.org/outreach");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not carry a user name or password; the signature authenticates us");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("must not have a #fragment");
        }
        return uri;
    }

    private void check(URI uri, InetAddress[] addresses) throws Refused {
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            allLoopback &= address.isLoopbackAddress();
            String kind = nonPublic(address);
            if (kind != null && !settings.allowPrivateAddresses()) {
                throw new Refused(uri.getHost() + " is " + (address.getHostAddress().equals(uri.getHost()) ? "" : "at "
                        + address.getHostAddress() + ", ") + "a " + kind + " address: webhooks go to public addresses only");
            }
        }
        if (!uri.getScheme().equalsIgnoreCase("https") && settings.requireHttps() && !allLoopback) {
            throw new Refused("must start with https:// (plain http only to this machine)");
        }
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublic(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            if (a0 == 0 || a0 >= 240 || (a0 == 100 && a1 >= 64 && a1 < 128) || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0)
                    || (a0 == 198 && (a1 == 18 || a1 == 19))) {
                return "reserved";
            }
            return null;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private"; // unique local fc00::/7
            }
            if (embedsIpv4(b)) {
                try {
                    String embedded = nonPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                    return embedded; // IPv4-compatible or NAT64: what the IPv4 address inside is
                } catch (UnknownHostException e) {
                    return "reserved";
                }
            }
        }
        return null;
    }

    /** ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64); ::ffff:a.b.c.d arrives as an Inet4Address already. */
    private static boolean embedsIpv4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 12; i++) {
            zeros &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return zeros || nat64;
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
