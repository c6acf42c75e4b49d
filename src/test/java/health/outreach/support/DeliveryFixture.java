package health.outreach.support;

import health.outreach.campaign.CampaignLauncher;
import health.outreach.campaign.CampaignService;
import health.outreach.campaign.CampaignViews;
import health.outreach.common.Channel;
import health.outreach.common.Hashing;
import health.outreach.common.Jdbc;
import health.outreach.common.MessageTokens;
import health.outreach.contact.ConsentState;
import health.outreach.delivery.Dispatcher;
import health.outreach.segment.SegmentRule;
import health.outreach.segment.SegmentService;
import health.outreach.template.TemplateService;
import health.outreach.template.TemplateVariant;
import health.outreach.template.TemplateViews;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Small named helpers for delivery tests. Contacts are tagged with a postal code so each test's
 * segment selects only its own people; rows are written directly where the API would only add time.
 */
@Singleton
@Requires(env = Environment.TEST)
public class DeliveryFixture {

    private final Jdbc jdbc;
    private final SegmentService segments;
    private final TemplateService templates;
    private final CampaignService campaigns;
    private final CampaignLauncher launcher;
    private final MutableClock clock;
    private final MessageTokens tokens;

    public DeliveryFixture(Jdbc jdbc, SegmentService segments, TemplateService templates, CampaignService campaigns,
                           CampaignLauncher launcher, MutableClock clock, MessageTokens tokens) {
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.segments = segments;
        this.templates = templates;
        this.campaigns = campaigns;
        this.launcher = launcher;
        this.clock = clock;
    }

    public long contact(String tag, String email, String phone, String zone, ConsentState emailConsent, ConsentState smsConsent) {
        Instant now = clock.instant();
        return jdbc.insert("INSERT INTO contact (first_name, last_name, email, phone, email_hash, phone_hash, locale, time_zone, "
                        + "postal_code, email_consent, sms_consent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'en-US', ?, ?, ?, ?, ?, ?)",
                "Pat", "Test", email, phone, email == null ? null : Hashing.sha256Hex(email), phone == null ? null : Hashing.sha256Hex(phone),
                zone, tag, emailConsent, smsConsent, now, now);
    }

    /** {@code count} contacts reachable by email and SMS in {@code zone}, tagged {@code tag}. */
    public List<Long> contacts(String tag, int count, String zone) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String unique = tag + "-" + i;
            ids.add(contact(tag, unique.toLowerCase() + "@example.org", phoneFor(tag, i), zone,
                    ConsentState.OPTED_IN, ConsentState.OPTED_IN));
        }
        return ids;
    }

    /** A valid, unique US number per (tag, index): 555 numbers in a handful of area codes. */
    public static String phoneFor(String tag, int i) {
        String[] areas = {"212", "312", "415", "512", "617", "206", "303", "404", "713", "808"};
        int n = Math.floorMod(tag.hashCode() * 31 + i, 99_999);
        return "+1" + areas[n / 10_000] + "555" + String.format("%04d", n % 10_000);
    }

    public long segment(String tag) {
        return segments.create("segment " + tag + " " + UUID.randomUUID(), null,
                new SegmentRule(null, null, "postalCode", "eq", tag), "test").id();
    }

    public long smsTemplate(String body) {
        return templates.create(new TemplateViews.Form("sms " + UUID.randomUUID(), Channel.SMS, null, null, null,
                List.of(new TemplateVariant("en", null, null, null, body))), "test").id();
    }

    public long emailTemplate() {
        return templates.create(new TemplateViews.Form("email " + UUID.randomUUID(), Channel.EMAIL, null, null, null,
                List.of(new TemplateVariant("en", "Hello ${contact.firstName}",
                        "<p>Hi ${contact.firstName}, read <a href=\"${link(\"https://example.org/spine\")}\">this</a>.</p>"
                                + "<p><a href=\"${booking_url}\">Book</a> <a href=\"${unsubscribe_url}\">Unsubscribe</a></p>",
                        "Hi ${contact.firstName}, read ${link(\"https://example.org/spine\")}\nUnsubscribe: ${unsubscribe_url}",
                        null))), "test").id();
    }

    public static CampaignViews.StepForm now(Channel channel, long templateId) {
        return new CampaignViews.StepForm(channel, templateId, null, null, "PT0S", null, null);
    }

    /** Creates, schedules and launches (enrollment and fan-out happen here, synchronously). */
    public long launch(long segmentId, int holdoutPercent, CampaignViews.StepForm... steps) {
        long id = create(segmentId, holdoutPercent, steps);
        campaigns.act(id, "schedule");
        launcher.launch(id);
        return id;
    }

    public long create(long segmentId, int holdoutPercent, CampaignViews.StepForm... steps) {
        return campaigns.create(new CampaignViews.Form("campaign " + UUID.randomUUID(), segmentId, "en-US", "America/New_York",
                List.of(steps), "ONCE", null, holdoutPercent, 30, null), "test").id();
    }

    /** Dispatches until nothing is due; answers how many messages were claimed. */
    public int drain(Dispatcher dispatcher) {
        int total = 0;
        int claimed;
        int rounds = 0;
        while ((claimed = dispatcher.dispatchOnce()) > 0) {
            total += claimed;
            if (++rounds > 100_000) {
                throw new AssertionError("the outbox never drains: messages keep coming back due (" + total + " claims)");
            }
        }
        return total;
    }

    public long count(String sql, Object... params) {
        return jdbc.queryLong(sql, params);
    }

    /** Daytime in every US zone, so SMS quiet hours do not hold anything back. */
    public void daytime() {
        clock.set(Instant.parse("2026-06-15T17:00:00Z"));
    }

    /** The action token a message's links carry (unsubscribe, preferences, booking, tracked links). */
    public String token(long messageId) {
        return tokens.encode(messageId, MessageTokens.Purpose.ACTION);
    }

    /** The unsubscribe-only token an email's List-Unsubscribe header carries. */
    public String unsubscribeToken(long messageId) {
        return tokens.encode(messageId, MessageTokens.Purpose.UNSUBSCRIBE);
    }

    /** The action token of the one message {@code sql} selects by id. */
    public String tokenOf(String sql, Object... params) {
        return token(jdbc.queryOne(sql, rs -> rs.getLong(1), params).orElseThrow(() -> new AssertionError("no message: " + sql)));
    }

    /** The path of a message's first tracked link ({@code /r/{token}-{link id}}), as its email carries it. */
    public String firstLinkPath(long messageId) {
        long link = jdbc.queryOne("SELECT MIN(l.id) FROM template_link l JOIN message m ON m.template_version_id = l.template_version_id "
                + "WHERE m.id = ?", rs -> rs.getLong(1), messageId).orElseThrow();
        return "/r/" + token(messageId) + "-" + link;
    }

    /** The URL a message's first tracked link leads to. */
    public String firstLinkUrl(long messageId) {
        return jdbc.queryOne("SELECT l.url FROM template_link l JOIN message m ON m.template_version_id = l.template_version_id "
                + "WHERE m.id = ? ORDER BY l.id LIMIT 1", rs -> rs.getString(1), messageId).orElseThrow();
    }

    public MutableClock clock() {
        return clock;
    }
}
