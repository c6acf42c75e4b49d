package health.outreach.common;

import java.time.ZoneId;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The one rule for a time zone anywhere in the product (a contact's, a campaign's, a clinic's, the
 * program's): an IANA region zone such as America/Chicago. Abbreviations and fixed offsets ("EST",
 * "UTC", "GMT") are refused: quiet hours follow a place's daylight-saving rules, which only region
 * zones carry ("Etc/UTC" is the way to ask for UTC on purpose).
 */
public final class Zones {

    /** Every accepted zone, sorted, for the forms' lists. */
    public static final SortedSet<String> REGIONS = Collections.unmodifiableSortedSet(new TreeSet<>(
            ZoneId.getAvailableZoneIds().stream().filter(z -> z.contains("/")).toList()));

    private Zones() {
    }

    public static boolean isRegion(String zone) {
        return zone != null && REGIONS.contains(zone);
    }

    /** The message for a refused zone, the same in every form and API. */
    public static String problem(String zone) {
        String shown = zone == null ? "" : zone.length() > 60 ? zone.substring(0, 57) + "..." : zone;
        return "'" + shown + "' is not an IANA time zone like America/Chicago";
    }
}
