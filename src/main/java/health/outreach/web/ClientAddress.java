package health.outreach.web;

import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address for rate limits and the audit log. X-Forwarded-For is believed only when the
 * peer is a configured trusted proxy, and then read right to left up to the first untrusted hop, so a
 * caller cannot choose its own address by sending the header.
 */
@Singleton
public class ClientAddress {

    private final List<Cidr> trusted;

    public ClientAddress(ProxySettings settings) {
        List<Cidr> ranges = new ArrayList<>();
        for (String cidr : settings.trustedProxies()) {
            if (!cidr.isBlank()) {
                ranges.add(Cidr.parse(cidr.trim()));
            }
        }
        this.trusted = List.copyOf(ranges);
    }

    public String of(HttpRequest<?> request) {
        InetAddress peer = request.getRemoteAddress().getAddress();
        if (peer == null) {
            return "unknown";
        }
        if (!isTrusted(peer)) {
            return peer.getHostAddress();
        }
        String forwarded = request.getHeaders().get("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer.getHostAddress();
        }
        String[] hops = forwarded.split(",");
        String candidate = peer.getHostAddress();
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            InetAddress address = parseLiteral(hop);
            if (address == null) {
                break;
            }
            candidate = address.getHostAddress();
            if (!isTrusted(address)) {
                break;
            }
        }
        return candidate;
    }

    /**
     * The key a per-client limit counts under: the address itself for IPv4, its /64 for IPv6 (one
     * subscriber gets a whole /64, so counting single IPv6 addresses would limit nobody).
     */
    public static String limitKey(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        InetAddress parsed = parseLiteral(address);
        if (parsed == null) {
            return address;
        }
        byte[] bytes = parsed.getAddress();
        if (bytes.length != 16) {
            return parsed.getHostAddress();
        }
        java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IP literal without ever doing a DNS lookup; null when it is not one. */
    static InetAddress parseLiteral(String hop) {
        String text = hop;
        if (text.startsWith("[")) { // "[2001:db8::1]:443" or "[2001:db8::1]"
            int end = text.indexOf(']');
            text = end < 0 ? "" : text.substring(1, end);
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) { // "203.0.113.7:5678"
            text = text.substring(0, text.indexOf(':'));
        }
        if (text.isEmpty() || !text.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String[] parts = text.split("/");
            InetAddress address = parseLiteral(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not a CIDR range: " + text);
            }
            int bits = address.getAddress().length * 8;
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
            return new Cidr(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
