package health.outreach.booking;

import health.outreach.common.Channel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttributionTest {

    private static final Instant BOOKED = Instant.parse("2026-06-30T12:00:00Z");

    private static Attribution.Touch touch(long id, long campaign, String clicked, String sent, int window) {
        return new Attribution.Touch(id, campaign, id * 10, Channel.EMAIL, 7L, clicked == null ? null : Instant.parse(clicked),
                null, Instant.parse(sent), window);
    }

    @Test
    void aClickBeatsALaterDelivery() {
        Attribution.Result r = Attribution.attribute(BOOKED, List.of(
                touch(1, 100, "2026-06-20T10:00:00Z", "2026-06-20T09:00:00Z", 30),
                touch(2, 200, null, "2026-06-29T09:00:00Z", 30)), List.of());
        assertEquals(Attribution.Kind.ATTRIBUTED, r.kind());
        assertEquals(100L, r.campaignId());
        assertEquals("CLICKED", r.via());
    }

    @Test
    void theMessageWhoseLinkTheBookingCameThroughBeatsALaterClickElsewhere() {
        List<Attribution.Touch> touches = List.of(touch(1, 100, null, "2026-06-20T09:00:00Z", 30),
                touch(2, 200, "2026-06-29T10:00:00Z", "2026-06-29T09:00:00Z", 30));
        Attribution.Result own = Attribution.attribute(BOOKED, touches, List.of(), 1L);
        assertEquals(100L, own.campaignId());
        assertEquals("OWN_LINK", own.via(), "the rule is named");
        Attribution.Result outside = Attribution.attribute(BOOKED, List.of(touch(1, 100, null, "2026-05-01T09:00:00Z", 30),
                touches.get(1)), List.of(), 1L);
        assertEquals(200L, outside.campaignId(), "its own link outside the window gives way to the rules after it");
        assertEquals("CLICKED", outside.via());
    }

    @Test
    void theLatestDeliveryWinsWhenNothingWasClicked() {
        Attribution.Result r = Attribution.attribute(BOOKED, List.of(
                touch(1, 100, null, "2026-06-10T10:00:00Z", 30),
                touch(2, 200, null, "2026-06-28T10:00:00Z", 30)), List.of());
        assertEquals(200L, r.campaignId());
        assertEquals("DELIVERED", r.via());
    }

    @Test
    void touchesOutsideTheirCampaignsWindowDoNotCount() {
        Attribution.Result r = Attribution.attribute(BOOKED, List.of(
                touch(1, 100, "2026-06-01T10:00:00Z", "2026-06-01T09:00:00Z", 7),
                touch(2, 200, null, "2026-07-01T10:00:00Z", 30)), List.of());
        assertEquals(Attribution.Kind.UNATTRIBUTED, r.kind(), "a click 29 days before a 7-day window; a message after the booking");
    }

    @Test
    void aHoldoutContactsBookingCountsForTheControlGroup() {
        Attribution.Result r = Attribution.attribute(BOOKED, List.of(),
                List.of(new Attribution.Holdout(300, Instant.parse("2026-06-15T00:00:00Z"), 30)));
        assertEquals(Attribution.Kind.HOLDOUT, r.kind());
        assertEquals(300L, r.campaignId());
    }
}
