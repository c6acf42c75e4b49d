package health.outreach.webhook;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddressGuardTest {

    @Test
    void nonPublicAddressesAreNamed() throws UnknownHostException {
        for (List<String> c : List.of(List.of("127.0.0.1", "loopback"), List.of("::1", "loopback"), List.of("10.1.2.3", "private"),
                List.of("172.16.0.9", "private"), List.of("192.168.1.1", "private"), List.of("169.254.169.254", "link-local"),
                List.of("fe80::1", "link-local"), List.of("fd00::1", "private"), List.of("100.64.0.1", "reserved"),
                List.of("0.0.0.0", "unspecified"), List.of("::", "unspecified"), List.of("224.0.0.1", "multicast"),
                List.of("ff02::1", "multicast"), List.of("255.255.255.255", "reserved"), List.of("::ffff:10.0.0.1", "private"),
                List.of("64:ff9b::a9fe:a9fe", "link-local"), List.of("::127.0.0.1", "loopback"))) {
            assertEquals(c.get(1), AddressGuard.nonPublic(InetAddress.getByName(c.get(0))), c.get(0));
        }
    }

    @Test
    void publicAddressesPass() throws UnknownHostException {
        for (String a : List.of("93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1", "100.128.0.1")) {
            assertNull(AddressGuard.nonPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void urlsThatCannotBeAWebhookAreRefused() {
        for (String url : List.of("", "ftp://hooks.example.org/", "https://", "https://user:pw@hooks.example.org/",
                "https://hooks.example.org/#x", "not a url", "file:///etc/passwd")) {
            assertThrows(AddressGuard.Refused.class, () -> AddressGuard.parse(url), url);
        }
    }
}
