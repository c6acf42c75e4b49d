package health.outreach.campaign;

import health.outreach.common.Channel;
import health.outreach.common.Jdbc;
import health.outreach.contact.AttributeDefinitions;
import health.outreach.contact.AttributeType;
import health.outreach.contact.ConsentState;
import health.outreach.delivery.Dispatcher;
import health.outreach.support.DeliveryFixture;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class FanOutTest {

    @Inject
    DeliveryFixture fixture;

    @Inject
    Dispatcher dispatcher;

    @Inject
    AttributeDefinitions attributes;

    @Inject
    Jdbc jdbc;

    @Test
    void eachStepReachesOnlyThoseWhoConsentedToItsChannelAndEnrollmentIsOncePerCampaign() {
        fixture.daytime();
        String tag = "FAN01";
        fixture.contact(tag, "both@example.org", "+12125550111", "America/New_York", ConsentState.OPTED_IN, ConsentState.OPTED_IN);
        fixture.contact(tag, "mail@example.org", "+12125550112", "America/New_York", ConsentState.OPTED_IN, ConsentState.OPTED_OUT);
        fixture.contact(tag, null, "+12125550113", "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);
        fixture.contact(tag, "none@example.org", "+12125550114", "America/New_York", ConsentState.PENDING, ConsentState.NONE);
        jdbc.update("INSERT INTO suppression (channel, address_hash, reason, created_at) VALUES ('SMS', ?, 'HARD_BOUNCE', ?)",
                health.outreach.common.Hashing.sha256Hex("+12125550111"), Instant.now());
        long campaign = fixture.launch(fixture.segment(tag), 0,
                DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()),
                DeliveryFixture.now(Channel.SMS, fixture.smsTemplate("Hello from ${program.name}")));
        assertEquals(3, jdbc.queryLong("SELECT enrolled FROM campaign_counter WHERE campaign_id = ?", campaign),
                "reachable on at least one channel: both, mail, and the SMS-only contact");
        assertEquals(2, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND channel = 'EMAIL'", campaign));
        assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ? AND channel = 'SMS'", campaign),
                "the suppressed number and the opted-out one get no SMS");
        fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        assertEquals(3, jdbc.queryLong("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ?", campaign),
                "another campaign does not touch this one's enrollments");
    }

    @Test
    void aHoldoutIsEnrolledButNeverMessaged() {
        String tag = "HOLD1";
        fixture.contacts(tag, 400, "America/Chicago");
        long campaign = fixture.launch(fixture.segment(tag), 20, DeliveryFixture.now(Channel.EMAIL, fixture.emailTemplate()));
        long holdout = jdbc.queryLong("SELECT COUNT(*) FROM enrollment WHERE campaign_id = ? AND holdout", campaign);
        assertTrue(holdout > 40 && holdout < 120, "about 20% of 400: " + holdout);
        assertEquals(holdout, jdbc.queryLong("SELECT holdout FROM campaign_counter WHERE campaign_id = ?", campaign));
        assertEquals(400 - holdout, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE campaign_id = ?", campaign));
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM message m JOIN enrollment e ON e.id = m.enrollment_id "
                + "WHERE m.campaign_id = ? AND e.holdout", campaign));
    }

    @Test
    void smsIsQueuedForTheRecipientsMorningAndStepsFromAContactDateSkipThoseWithoutOne() {
        fixture.clock().set(Instant.parse("2026-06-15T05:00:00Z")); // 01:00 in New York, 19:00 in Honolulu
        String tag = "DATE1";
        long ny = fixture.contact(tag, null, "+12125550121", "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);
        long hi = fixture.contact(tag, null, "+18085550121", "Pacific/Honolulu", ConsentState.NONE, ConsentState.OPTED_IN);
        long noDate = fixture.contact(tag, null, "+13125550121", "America/Chicago", ConsentState.NONE, ConsentState.OPTED_IN);
        long stale = fixture.contact(tag, null, "+14155550121", "America/Los_Angeles", ConsentState.NONE, ConsentState.OPTED_IN);
        attributes.define("visit_date", AttributeType.DATE);
        for (Object[] row : new Object[][]{{ny, LocalDate.of(2026, 6, 20)}, {hi, LocalDate.of(2026, 6, 20)}, {stale, LocalDate.of(2026, 5, 1)}}) {
            jdbc.update("INSERT INTO contact_attribute (contact_id, name, date_value) VALUES (?, 'visit_date', ?)", row[0], row[1]);
        }
        long sms = fixture.smsTemplate("Your visit is coming up. ${program.name}");
        long campaign = fixture.launch(fixture.segment(tag), 0,
                DeliveryFixture.now(Channel.SMS, sms),
                new CampaignViews.StepForm(Channel.SMS, sms, null, null, null, new CampaignViews.RelativeTo("visit_date", "-P2D"), 9));
        long firstStep = jdbc.queryLong("SELECT MIN(id) FROM campaign_step WHERE campaign_id = ?", campaign);
        assertEquals(Instant.parse("2026-06-15T12:00:00Z"), due(campaign, firstStep, ny), "08:00 EDT, not 01:00");
        assertEquals(Instant.parse("2026-06-15T05:00:00Z"), due(campaign, firstStep, hi), "19:00 HST is within the window");
        long dateStep = firstStep + 1;
        assertEquals(Instant.parse("2026-06-18T13:00:00Z"), due(campaign, dateStep, ny), "June 18 at 09:00 EDT");
        assertEquals(Instant.parse("2026-06-18T19:00:00Z"), due(campaign, dateStep, hi), "June 18 at 09:00 HST");
        assertEquals(0, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE step_id = ? AND contact_id IN (?, ?)", dateStep, noDate, stale));
        assertEquals(2, jdbc.queryLong("SELECT skipped_no_date FROM campaign_counter WHERE campaign_id = ?", campaign),
                "no date, and a date long past, are skipped and counted");

        assertEquals(1, fixture.drain(dispatcher), "only Honolulu is awake");
        fixture.clock().advance(Duration.ofHours(7)); // 12:00Z: 08:00 in New York, 07:00 in Chicago, 05:00 in Los Angeles
        assertEquals(1, fixture.drain(dispatcher), "New York only");
        fixture.clock().advance(Duration.ofHours(3)); // 15:00Z: 10:00 in Chicago, 08:00 in Los Angeles
        assertEquals(2, fixture.drain(dispatcher), "Chicago and Los Angeles");
        assertEquals(4, jdbc.queryLong("SELECT COUNT(*) FROM message WHERE step_id = ? AND status = 'SENT'", firstStep));
    }

    @Test
    void onTheDayClocksSpringForwardSendHoursAndQuietHoursFollowEachRecipientsNewOffset() {
        // Sunday 2026-03-08, 11:30Z: 07:30 EDT in New York (DST began at 02:00), 04:30 PDT in Los
        // Angeles, 01:30 in Honolulu (no DST), 12:30 CET in Madrid (its change is on March 29).
        fixture.clock().set(Instant.parse("2026-03-08T11:30:00Z"));
        String tag = "DST01";
        long ny = fixture.contact(tag, null, "+12125550131", "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);
        long la = fixture.contact(tag, null, "+14155550131", "America/Los_Angeles", ConsentState.NONE, ConsentState.OPTED_IN);
        long hi = fixture.contact(tag, null, "+18085550131", "Pacific/Honolulu", ConsentState.NONE, ConsentState.OPTED_IN);
        long es = fixture.contact(tag, null, "+34915550131", "Europe/Madrid", ConsentState.NONE, ConsentState.OPTED_IN);
        long sms = fixture.smsTemplate("A note on back pain from ${program.name}");
        long campaign = fixture.launch(fixture.segment(tag), 0, DeliveryFixture.now(Channel.SMS, sms),
                new CampaignViews.StepForm(Channel.SMS, sms, null, null, "P1D", null, 10));
        long now = jdbc.queryLong("SELECT MIN(id) FROM campaign_step WHERE campaign_id = ?", campaign);
        long nextDay = now + 1;
        assertEquals(Instant.parse("2026-03-08T12:00:00Z"), due(campaign, now, ny), "08:00 EDT (13:00Z under the old offset)");
        assertEquals(Instant.parse("2026-03-08T15:00:00Z"), due(campaign, now, la), "08:00 PDT");
        assertEquals(Instant.parse("2026-03-08T18:00:00Z"), due(campaign, now, hi), "08:00 HST");
        assertEquals(Instant.parse("2026-03-08T11:30:00Z"), due(campaign, now, es), "12:30 in Madrid: at once");
        assertEquals(Instant.parse("2026-03-09T14:00:00Z"), due(campaign, nextDay, ny), "Monday 10:00 EDT");
        assertEquals(Instant.parse("2026-03-09T17:00:00Z"), due(campaign, nextDay, la), "Monday 10:00 PDT");
        assertEquals(Instant.parse("2026-03-09T20:00:00Z"), due(campaign, nextDay, hi), "Monday 10:00 HST");
        assertEquals(Instant.parse("2026-03-09T09:00:00Z"), due(campaign, nextDay, es), "Monday 10:00 CET");

        // The dispatcher, on the same clock, sends each one when it is due and not a minute before.
        assertEquals(1, fixture.drain(dispatcher), "Madrid only");
        fixture.clock().set(Instant.parse("2026-03-08T11:59:00Z"));
        assertEquals(0, fixture.drain(dispatcher), "07:59 EDT in New York: still quiet");
        fixture.clock().set(Instant.parse("2026-03-08T12:00:00Z"));
        assertEquals(1, fixture.drain(dispatcher), "New York at 08:00 EDT");
        fixture.clock().set(Instant.parse("2026-03-08T18:00:00Z"));
        assertEquals(2, fixture.drain(dispatcher), "Los Angeles and Honolulu");
    }

    @Test
    void whenClocksFallBackASendHourIsKeptInLocalTime() {
        // Saturday 2026-10-24 10:00 CEST in Madrid, whose clocks fall back that night; New York and
        // Los Angeles fall back a week later (November 1).
        fixture.clock().set(Instant.parse("2026-10-24T08:00:00Z"));
        String tag = "DST02";
        long es = fixture.contact(tag, null, "+34915550132", "Europe/Madrid", ConsentState.NONE, ConsentState.OPTED_IN);
        long ny = fixture.contact(tag, null, "+12125550132", "America/New_York", ConsentState.NONE, ConsentState.OPTED_IN);
        long la = fixture.contact(tag, null, "+14155550132", "America/Los_Angeles", ConsentState.NONE, ConsentState.OPTED_IN);
        long hi = fixture.contact(tag, null, "+18085550132", "Pacific/Honolulu", ConsentState.NONE, ConsentState.OPTED_IN);
        long sms = fixture.smsTemplate("A reminder from ${program.name}");
        long campaign = fixture.launch(fixture.segment(tag), 0, new CampaignViews.StepForm(Channel.SMS, sms, null, null, "P1D", null, 9));
        long step = jdbc.queryLong("SELECT MIN(id) FROM campaign_step WHERE campaign_id = ?", campaign);
        assertEquals(Instant.parse("2026-10-25T08:00:00Z"), due(campaign, step, es), "Sunday 09:00 CET, an hour later in UTC");
        assertEquals(Instant.parse("2026-10-25T13:00:00Z"), due(campaign, step, ny), "09:00 EDT (still summer time)");
        assertEquals(Instant.parse("2026-10-25T16:00:00Z"), due(campaign, step, la), "09:00 PDT");
        assertEquals(Instant.parse("2026-10-24T19:00:00Z"), due(campaign, step, hi),
                "enrolled on Friday evening in Honolulu: the next local day, Saturday, at 09:00 HST");

        fixture.clock().set(Instant.parse("2026-10-31T14:00:00Z")); // Saturday 10:00 EDT in New York
        long later = fixture.launch(fixture.segment(tag), 0, new CampaignViews.StepForm(Channel.SMS, sms, null, null, "P1D", null, 9));
        long laterStep = jdbc.queryLong("SELECT MIN(id) FROM campaign_step WHERE campaign_id = ?", later);
        assertEquals(Instant.parse("2026-11-01T14:00:00Z"), due(later, laterStep, ny), "Sunday 09:00 EST, after the change");
        assertEquals(Instant.parse("2026-11-01T17:00:00Z"), due(later, laterStep, la), "Sunday 09:00 PST");
    }

    private Instant due(long campaign, long step, long contact) {
        return jdbc.queryOne("SELECT due_at FROM message WHERE campaign_id = ? AND step_id = ? AND contact_id = ?",
                rs -> rs.getTimestamp(1).toInstant(), campaign, step, contact).orElseThrow();
    }
}
