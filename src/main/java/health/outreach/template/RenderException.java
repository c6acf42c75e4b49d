package health.outreach.template;

/** A template could not be parsed or rendered; the message says where and why, for a coordinator. */
public class RenderException extends RuntimeException {

    public RenderException(String message) {
        super(message, null, false, false);
    }
}
