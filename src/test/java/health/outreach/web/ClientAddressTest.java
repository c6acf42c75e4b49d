package health.outreach.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientAddressTest {

    @Test
    void forwardedHopsWithPortsAndBracketsAreStillAddresses() {
        assertEquals("203.0.113.7", ClientAddress.parseLiteral("203.0.113.7:5678").getHostAddress());
        assertEquals("203.0.113.7", ClientAddress.parseLiteral("203.0.113.7").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", ClientAddress.parseLiteral("[2001:db8::1]:443").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", ClientAddress.parseLiteral("[2001:db8::1]").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", ClientAddress.parseLiteral("2001:db8::1").getHostAddress());
        assertNull(ClientAddress.parseLiteral("evil.example"), "never a DNS lookup");
        assertNull(ClientAddress.parseLiteral("unknown"));
        assertNull(ClientAddress.parseLiteral("[2001:db8::1"));
    }

    @Test
    void ipv6ClientsAreLimitedPerSlash64() {
        assertEquals(ClientAddress.limitKey("2001:db8:1:2:aaaa::1"), ClientAddress.limitKey("2001:db8:1:2:ffff:1:2:3"));
        assertEquals("2001:db8:1:2:0:0:0:0/64", ClientAddress.limitKey("2001:db8:1:2:aaaa::1"));
        assertEquals("198.51.100.4", ClientAddress.limitKey("198.51.100.4"));
        assertEquals(false, ClientAddress.limitKey("2001:db8:1:3::1").equals(ClientAddress.limitKey("2001:db8:1:2::1")));
    }
}
