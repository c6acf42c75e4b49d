package health.outreach.campaign;

import org.junit.jupiter.api.Test;

import static health.outreach.campaign.CampaignStatus.CANCELLED;
import static health.outreach.campaign.CampaignStatus.COMPLETED;
import static health.outreach.campaign.CampaignStatus.DRAFT;
import static health.outreach.campaign.CampaignStatus.PAUSED;
import static health.outreach.campaign.CampaignStatus.RUNNING;
import static health.outreach.campaign.CampaignStatus.SCHEDULED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CampaignStatusTest {

    @Test
    void onlyTheDocumentedMovesExist() {
        assertEquals(SCHEDULED, DRAFT.after("schedule"));
        assertEquals(PAUSED, RUNNING.after("pause"));
        assertEquals(RUNNING, PAUSED.after("resume"));
        for (CampaignStatus s : new CampaignStatus[]{DRAFT, SCHEDULED, RUNNING, PAUSED}) {
            assertEquals(CANCELLED, s.after("cancel"), s + " can be cancelled");
        }
        assertNull(RUNNING.after("schedule"));
        assertNull(DRAFT.after("pause"));
        assertNull(SCHEDULED.after("resume"));
        assertNull(RUNNING.after("resume"));
        assertNull(COMPLETED.after("cancel"));
        assertNull(CANCELLED.after("resume"));
        assertNull(RUNNING.after("launch"), "unknown actions are refused");
    }
}
