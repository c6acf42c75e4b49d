package health.outreach.delivery;

import com.sun.net.httpserver.HttpServer;
import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.contact.ContactStore;
import health.outreach.support.DeliveryFixture;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMS through a Twilio-compatible API stood in for by a local HTTP server answering 201, 429, 500 and 400. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmsDeliveryTest implements TestPropertyProvider {

    private static final String OK = "+12125550101";
    private static final String RATE_LIMITED = "+12125550102";
    private static final String PROVIDER_ERROR = "+12125550103";
    private static final String INVALID = "+12125550104";

    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer provider;

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Jdbc jdbc;

    @Inject
    ConsentLedger ledger;

    @Inject
    health.outreach.campaign.CampaignService campaigns;

    @Override
    public Map<String, String> getProperties() {
        try {
            provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        provider.createContext("/2010-04-01/Accounts/AC123/Messages.json", exchange -> {
            Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(form);
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String to = form.get("To");
            int status;
            String body;
            switch (to) {
                case OK -> { status = 201; body = "{\"sid\":\"SM" + requests.size() + "\",\"status\":\"queued\"}"; }
                case RATE_LIMITED -> { status = 429; body = "{\"code\":20429,\"message\":\"Too Many Requests\"}"; }
                case PROVIDER_ERROR -> { status = 500; body = "{\"message\":\"Internal error\"}"; }
                default -> { status = 400; body = "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\"}"; }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        provider.start();
        return Map.of("outreach.sms.provider", "twilio",
                "outreach.sms.twilio.base-url", "http://127.0.0.1:" + provider.getAddress().getPort(),
                "outreach.sms.twilio.account-sid", "AC123",
                "outreach.sms.twilio.auth-token", "secret-token",
                "outreach.sms.twilio.from", "+15125550100",
                "outreach.public-url", "https://outreach.example.org");
    }

    @AfterAll
    void stop() {
        provider.stop(0);
    }

    @Test
    void eachProviderAnswerLeadsToItsStateAndTheFirstTextCarriesTheOptOutLine() {
        fixture.daytime();
        String tag = "SMS01";
        // Sent in this order: an invalid number, the OK one, then two the provider cannot take now.
        fixture.contact(tag, null, INVALID, "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);
        // The OK number opts in through the ledger now, so the first text it gets owes the opt-out notice.
        long optedIn = fixture.contact(tag, null, OK, "America/New_York", ConsentState.NONE, ConsentState.NONE);
        ledger.record(optedIn, new ConsentChange(Channel.SMS, ConsentAction.OPT_IN, "web form", "Text me spine health tips",
                null, "test", null, fixture.clock().instant(), false));
        for (String phone : List.of(RATE_LIMITED, PROVIDER_ERROR)) {
            fixture.contact(tag, null, phone, "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);
        }
        long campaign = fixture.launch(fixture.segment(tag), 0,
                DeliveryFixture.now(Channel.SMS, fixture.smsTemplate("Spine health tips from ${program.name}. Book: ${booking_url}")));
        fixture.drain(dispatcher);

        Map<String, String> states = new TreeMap<>();
        jdbc.query("SELECT c.phone, m.status FROM message m JOIN contact c ON c.id = m.contact_id WHERE m.campaign_id = ?",
                rs -> states.put(rs.getString(1), rs.getString(2)), campaign);
        assertEquals(Map.of(OK, "SENT", RATE_LIMITED, "PENDING", PROVIDER_ERROR, "PENDING", INVALID, "BOUNCED"), states);
        // A 429 (or 5xx) is the provider's trouble, not the message's: the channel backs off, so the
        // next text is not even tried, and neither loses an attempt.
        assertEquals(0, requests.stream().filter(r -> r.get("To").equals(PROVIDER_ERROR)).count());
        assertEquals(0, jdbc.queryLong("SELECT SUM(m.attempts) FROM message m JOIN contact c ON c.id = m.contact_id "
                + "WHERE m.campaign_id = ? AND c.phone IN (?, ?)", campaign, RATE_LIMITED, PROVIDER_ERROR));
        assertEquals("open", dispatcher.circuit(Channel.SMS));
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM suppression WHERE address_hash = ?", ContactStore.hash(INVALID)));
        int okRequest = requests.indexOf(requests.stream().filter(r -> r.get("To").equals(OK)).findFirst().orElseThrow());
        assertEquals("SM" + (okRequest + 1), jdbc.queryOne("SELECT m.provider_id FROM message m JOIN contact c ON c.id = m.contact_id "
                + "WHERE c.phone = ?", rs -> rs.getString(1), OK).orElseThrow());

        Map<String, String> sent = requests.get(okRequest);
        assertEquals("+15125550100", sent.get("From"));
        assertEquals("https://outreach.example.org/webhooks/sms/status", sent.get("StatusCallback"));
        assertTrue(sent.get("Body").startsWith("Spine health tips from"), sent.get("Body"));
        assertTrue(sent.get("Body").endsWith("Reply STOP to opt out."), "first text after opt-in: " + sent.get("Body"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("AC123:secret-token".getBytes(StandardCharsets.UTF_8)),
                authorizations.get(okRequest));
        assertEquals(Boolean.FALSE, jdbc.queryOne("SELECT sms_notice_due FROM contact WHERE phone = ?",
                rs -> rs.getBoolean(1), OK).orElseThrow(), "the notice is owed only once");

        // The next campaign's text to the same number goes without it, once the channel's pause is over.
        campaigns.act(campaign, "cancel");
        fixture.clock().advance(java.time.Duration.ofSeconds(3));
        fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.SMS, fixture.smsTemplate("More tips from ${program.name}")));
        fixture.drain(dispatcher);
        List<String> toOk = requests.stream().filter(r -> r.get("To").equals(OK)).map(r -> r.get("Body")).toList();
        assertEquals(2, toOk.size(), toOk.toString());
        assertFalse(toOk.get(1).contains("STOP"), "second text: " + toOk.get(1));
    }

    private static Map<String, String> parse(String form) {
        return java.util.Arrays.stream(form.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }
}
