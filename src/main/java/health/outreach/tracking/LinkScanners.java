package health.outreach.tracking;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Mail security scanners and link previewers follow links before (or instead of) people. Their
 * requests still get the redirect, but are not counted as clicks. Pure.
 */
public final class LinkScanners {

    private static final Pattern KNOWN = Pattern.compile(
            "bot|crawler|spider|preview|scanner|barracuda|proofpoint|mimecast|safelinks|safe links|microsoft office|"
                    + "outlook-ios|ms-office|symantec|forcepoint|trend micro|sophos|fortinet|cisco|ironport|zscaler|"
                    + "google-safety|googleimageproxy|yahoomailproxy|facebookexternalhit|slackbot|whatsapp|telegrambot|"
                    + "skypeuripreview|discordbot|linkedinbot|twitterbot|headless|python-requests|curl/|wget/|go-http-client|"
                    + "java/|okhttp|apache-httpclient|libwww");

    private LinkScanners() {
    }

    public static boolean isScanner(String method, String userAgent) {
        if ("HEAD".equalsIgnoreCase(method)) {
            return true;
        }
        return userAgent == null || userAgent.isBlank() || KNOWN.matcher(userAgent.toLowerCase(Locale.ROOT)).find();
    }
}
