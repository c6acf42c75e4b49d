package health.outreach.tracking;

/**
 * A feature above tracking that answers some inbound texts itself: a sign-up keyword, or YES from
 * someone asked to confirm. Asked inside the webhook's transaction, before the ordinary replies;
 * opt-outs and HELP never reach it, so no feature can stand between a person and STOP.
 */
public interface InboundTexts {

    /**
     * @param phone the sender in E.164
     * @return true when the text was handled; nothing else is done with it then
     */
    boolean handle(String phone, String body, String messageSid);
}
