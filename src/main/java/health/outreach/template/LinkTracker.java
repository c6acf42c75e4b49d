package health.outreach.template;

/**
 * The one way a template writes a link: {@code ${link("https://...")}}. At send time the tracker
 * stores the URL for the message and answers its tracked redirect; in a preview it answers the URL.
 */
public interface LinkTracker {

    String track(String url);

    /** Leaves every URL as it is (validation, previews). */
    LinkTracker NONE = url -> url;
}
