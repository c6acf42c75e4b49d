package health.outreach.channel.email;

import io.micronaut.context.annotation.Context;

/**
 * Jakarta Mail 2.1 finds its StreamProvider with a fresh ServiceLoader scan of every jar for each
 * body part it creates or writes (jakartaee/mail-api#699, #861, still open): a fifth of a sending
 * node's CPU in our profile. Naming the implementation in the system property the API reads first
 * turns that into a lookup of an already loaded class. Set once at startup, unless set already.
 */
@Context
class JakartaMailTuning {

    static final String PROPERTY = "jakarta.mail.util.StreamProvider";
    static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

    JakartaMailTuning() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, ANGUS);
        }
    }
}
