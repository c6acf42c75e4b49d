package health.outreach.signup;

import health.outreach.contact.ContactRow;
import health.outreach.contact.ContactStore;
import health.outreach.delivery.Replies;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The sign-ups' part of the periodic sweep: unconfirmed requests lapse after {@code expire-after};
 * before that, each gets at most one reminder, at the channel's allowed hours in the person's zone
 * (nobody asked for this one just now). Claiming the reminder on the row first makes a second sweep
 * on another node a no-op.
 */
@Singleton
public class SignupSweep {

    private static final int BATCH = 500;

    private final SignupRequests requests;
    private final Signups signups;
    private final ContactStore contacts;
    private final Replies replies;
    private final SignupSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    SignupSweep(SignupRequests requests, Signups signups, ContactStore contacts, Replies replies, SignupSettings settings,
                TransactionOperations<Connection> transactions, Clock clock) {
        this.requests = requests;
        this.signups = signups;
        this.contacts = contacts;
        this.replies = replies;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
    }

    public void sweep() {
        Instant now = clock.instant();
        transactions.executeWrite(status -> requests.expire(now));
        if (settings.remindAfter().compareTo(settings.expireAfter()) >= 0) {
            return; // reminders are off
        }
        List<SignupRequests.Request> due = requests.dueForReminder(now.minus(settings.remindAfter()), now, BATCH);
        for (SignupRequests.Request r : due) {
            transactions.executeWrite(status -> {
                if (!requests.claimReminder(r.id(), now)) {
                    return null;
                }
                ContactRow contact = contacts.find(r.contactId()).orElseThrow();
                Long message = replies.queueConfirmation(r.contactId(), r.channel(), Signups.templateFor(r.channel()),
                        signups.allowedFrom(contact, r.channel(), now));
                if (message != null) {
                    requests.reminderSent(r.id(), message);
                }
                return null;
            });
        }
    }
}
