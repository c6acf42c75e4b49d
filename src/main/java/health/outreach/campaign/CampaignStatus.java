package health.outreach.campaign;

import java.util.Map;
import java.util.Set;

/**
 * DRAFT → SCHEDULED → RUNNING ⇄ PAUSED → COMPLETED, or CANCELLED from any unfinished state.
 * Which actions a coordinator may take from each state; everything else is a 409.
 */
public enum CampaignStatus {
    DRAFT, SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELLED;

    private static final Map<String, Map<CampaignStatus, CampaignStatus>> ACTIONS = Map.of(
            "schedule", Map.of(DRAFT, SCHEDULED),
            "pause", Map.of(RUNNING, PAUSED),
            "resume", Map.of(PAUSED, RUNNING),
            "cancel", Map.of(DRAFT, CANCELLED, SCHEDULED, CANCELLED, RUNNING, CANCELLED, PAUSED, CANCELLED));

    /** The state an action leads to from this one, or null when the move is not allowed. */
    public CampaignStatus after(String action) {
        Map<CampaignStatus, CampaignStatus> moves = ACTIONS.get(action);
        return moves == null ? null : moves.get(this);
    }

    public static Set<String> actions() {
        return ACTIONS.keySet();
    }
}
