package health.outreach.signup;

import health.outreach.campaign.EventEnrollment;
import health.outreach.common.Channel;
import health.outreach.contact.ConsentAction;
import health.outreach.contact.ConsentChange;
import health.outreach.contact.ConsentLedger;
import health.outreach.contact.ConsentState;
import health.outreach.contact.ContactInput;
import health.outreach.contact.ContactRow;
import health.outreach.contact.ContactService;
import health.outreach.contact.ContactStore;
import health.outreach.delivery.DeliveryWindows;
import health.outreach.delivery.Replies;
import health.outreach.program.ProgramService;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Double opt-in. A sign-up creates or merges the contact by the import's merge rules (through
 * {@link ContactService}), marks each ticked channel PENDING in the consent ledger with the words
 * shown, and queues one request to confirm per channel; confirming makes it OPTED_IN (a CONFIRM
 * entry) and enrolls the person into the form's campaign.
 *
 * <p>Rules that keep an anonymous form from harming anyone: an address already OPTED_IN gets
 * nothing new (and nothing is merged), an opted-out address is never asked again from a form (the
 * person opts back in with START or the preference page), a channel with an open request gets no
 * second one, and a form never adds an address to, or replaces one on, a contact found by the other
 * address: each address then goes to its own contact, so nobody can attach their phone to someone
 * else's record and confirm it.
 */
@Singleton
class Signups {

    static final String ACTOR = "contact";
    static final String EMAIL_TEMPLATE = "signup-confirm-email";
    static final String SMS_TEMPLATE = "signup-confirm-sms";

    /** Whether the request to confirm may go at once (the person texted us) or waits for the channel's hours. */
    private enum Timing { NOW, WINDOW }

    /** The request being opened: form, words, where it came from and what the ledger should say. */
    private record Ask(SignupForm form, int version, String language, String source, String requestSource, String wording,
                       String evidence, String pageUrl, String clientHash, boolean allowReopen, Timing timing) {
    }

    private final ContactService contacts;
    private final ContactStore contactRows;
    private final ConsentLedger ledger;
    private final SignupRequests requests;
    private final FormService forms;
    private final Replies replies;
    private final DeliveryWindows windows;
    private final ProgramService program;
    private final EventEnrollment enrollment;
    private final SignupSettings settings;
    private final Clock clock;

    Signups(ContactService contacts, ContactStore contactRows, ConsentLedger ledger, SignupRequests requests, FormService forms,
            Replies replies, DeliveryWindows windows, ProgramService program, EventEnrollment enrollment,
            SignupSettings settings, Clock clock) {
        this.contacts = contacts;
        this.contactRows = contactRows;
        this.ledger = ledger;
        this.requests = requests;
        this.forms = forms;
        this.replies = replies;
        this.windows = windows;
        this.program = program;
        this.enrollment = enrollment;
        this.settings = settings;
        this.clock = clock;
    }

    /** Answers the channels a request to confirm was queued for (the page says the same whatever it is). */
    @Transactional
    public Set<Channel> submit(SignupForm form, Submission s) {
        Map<String, FormText> texts = forms.textsAt(form, s.version());
        FormText text = texts.getOrDefault(s.language(), form.text(s.language()));
        Set<Channel> asked = EnumSet.noneOf(Channel.class);
        for (Map<Channel, String> group : groups(s)) {
            Set<Channel> wanted = EnumSet.noneOf(Channel.class);
            group.keySet().stream().filter(s.channels()::contains).forEach(wanted::add);
            Optional<ContactRow> existing = existing(group);
            if (existing.isPresent() && (existing.get().erasedAt() != null
                    || wanted.stream().noneMatch(ch -> needsRequest(existing.get(), ch, false)))) {
                continue; // nothing to ask: do not touch the contact either
            }
            if (wanted.isEmpty()) {
                continue;
            }
            long id = contacts.createOrMerge(input(s, group)).contact().id();
            ContactRow row = contactRows.find(id).orElseThrow();
            for (Channel channel : wanted) {
                if (!needsRequest(row, channel, false)) {
                    continue;
                }
                String evidence = "page " + s.pageUrl() + ", form version " + s.version() + ", client address hash " + s.clientHash();
                open(row, channel, new Ask(form, s.version(), s.language(), "sign-up form " + form.key(), "FORM",
                        text.wording(channel), evidence, s.pageUrl(), s.clientHash(), false, Timing.WINDOW));
                asked.add(channel);
            }
        }
        return asked;
    }

    /**
     * A keyword texted to the program's number: the same SMS opt-in, answered at once (the owner of
     * the phone asked). Texting a keyword is the person's own request, so it may follow an earlier
     * STOP. Call inside the webhook's transaction. Answers whether a request to confirm was queued.
     */
    boolean startByKeyword(SignupForm form, String language, String keyword, String phone, String messageSid) {
        Instant now = clock.instant();
        List<ContactRow> found = contactRows.findByKeys(List.of(), List.of(), List.of(phone));
        if (!found.isEmpty() && (found.get(0).erasedAt() != null || !needsRequest(found.get(0), Channel.SMS, true))) {
            return false;
        }
        long id = found.isEmpty()
                ? contacts.createOrMerge(new ContactInput(null, null, null, null, phone, language, null, null, null, null)).contact().id()
                : found.get(0).id();
        ContactRow row = contactRows.find(id).orElseThrow();
        String wording = form.text(language).smsWording();
        open(row, Channel.SMS, new Ask(form, form.version(), language, "SMS keyword " + keyword + " (form " + form.key() + ")",
                "KEYWORD", wording, "SMS " + messageSid + ": \"" + keyword + "\" at " + now, null, null, true, Timing.NOW));
        return true;
    }

    /** The open request a message's confirm link leads to. */
    Optional<SignupRequests.Request> pendingForMessage(long messageId) {
        return requests.openByMessage(messageId, clock.instant());
    }

    /** The open SMS request of the contact with this phone, for a YES. */
    Optional<SignupRequests.Request> pendingForPhone(String phone) {
        return contactRows.findByKeys(List.of(), List.of(), List.of(phone)).stream().findFirst()
                .flatMap(c -> requests.open(c.id(), Channel.SMS, clock.instant()));
    }

    /**
     * Confirms a request (the button's POST, or YES): CONFIRM in the ledger, then the form's campaign.
     * Empty when it is no longer open, or the person opted out in the meantime (nothing changes then).
     */
    @Transactional
    public Optional<SignupRequests.Request> confirm(long requestId, String evidence, Long messageId) {
        Instant now = clock.instant();
        SignupRequests.Request r = requests.lock(requestId).orElse(null);
        if (r == null || !r.status().equals("PENDING") || !r.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        ContactRow contact = contactRows.find(r.contactId()).orElseThrow();
        ConsentState state = contact.consent(r.channel());
        if (contact.erasedAt() != null || state == ConsentState.OPTED_OUT || state == ConsentState.NONE) {
            requests.close(r.id(), "CANCELLED", now);
            return Optional.empty();
        }
        SignupForm form = forms.byId(r.formId()).orElseThrow();
        if (state == ConsentState.PENDING) {
            ledger.record(r.contactId(), new ConsentChange(r.channel(), ConsentAction.CONFIRM, sourceOf(r, form), r.wording(),
                    evidence, ACTOR, messageId, now, false));
        }
        String note = enroll(form, r.contactId());
        requests.confirmed(r.id(), now, note, note.startsWith("enrolled"));
        return requests.lock(r.id());
    }

    private String enroll(SignupForm form, long contactId) {
        if (form.campaignId() == null) {
            return "no campaign on the form";
        }
        EventEnrollment.Result result = enrollment.enroll(form.campaignId(), contactId);
        String campaign = "campaign " + form.campaignId();
        return switch (result) {
            case ENROLLED -> "enrolled in " + campaign;
            case ALREADY_ENROLLED -> "enrolled in " + campaign + " before";
            case NOT_REACHABLE -> "not enrolled: not reachable on the channels of " + campaign;
            case NO_CAMPAIGN -> "not enrolled: " + campaign + " does not exist";
            case NOT_RUNNING -> "not enrolled: " + campaign + " was " + enrollment.status(form.campaignId()).orElse("gone")
                    + " (it must be running)";
        };
    }

    private static String sourceOf(SignupRequests.Request r, SignupForm form) {
        return r.source().equals("KEYWORD") ? "SMS keyword (form " + form.key() + ")" : "sign-up form " + form.key();
    }

    private void open(ContactRow contact, Channel channel, Ask ask) {
        Instant now = clock.instant();
        ledger.record(contact.id(), new ConsentChange(channel, ConsentAction.PENDING, ask.source(), ask.wording(), ask.evidence(),
                ACTOR, null, now, ask.allowReopen()));
        long request = requests.insert(ask.form().id(), ask.version(), contact.id(), channel, ask.language(), ask.requestSource(),
                ask.wording(), ask.pageUrl(), ask.clientHash(), now, now.plus(settings.expireAfter()));
        Instant due = ask.timing() == Timing.NOW ? now : allowedFrom(contact, channel, now);
        Long message = replies.queueConfirmation(contact.id(), channel, templateFor(channel), due);
        if (message == null) {
            throw new IllegalStateException("the template library lacks " + templateFor(channel));
        }
        requests.messageSent(request, message);
    }

    /** The next moment the channel's window allows in the person's zone (SMS: 08:00–21:00). */
    Instant allowedFrom(ContactRow contact, Channel channel, Instant now) {
        String zone = contact.timeZone() != null ? contact.timeZone() : program.current().defaultTimeZone();
        return windows.forChannel(channel).nextAllowed(now, ZoneId.of(zone));
    }

    static String templateFor(Channel channel) {
        return channel == Channel.EMAIL ? EMAIL_TEMPLATE : SMS_TEMPLATE;
    }

    /**
     * Whether a channel of a contact should be asked: not when it is OPTED_IN already, not when a
     * request is open, and after an opt-out only when the person themselves asked ({@code byOwner}).
     */
    private boolean needsRequest(ContactRow c, Channel channel, boolean byOwner) {
        ConsentState state = c.consent(channel);
        if (c.address(channel) == null && state == ConsentState.NONE) {
            return true; // the address arrives with this sign-up
        }
        if (state == ConsentState.OPTED_IN || (state == ConsentState.OPTED_OUT && !byOwner)) {
            return false;
        }
        return requests.open(c.id(), channel, clock.instant()).isEmpty();
    }

    /**
     * The addresses that go to one contact together: both when they belong to the same contact or
     * to none yet, otherwise each on its own (see the class comment).
     */
    private List<Map<Channel, String>> groups(Submission s) {
        Map<Channel, String> all = new LinkedHashMap<>();
        if (s.email() != null) {
            all.put(Channel.EMAIL, s.email());
        }
        if (s.phone() != null) {
            all.put(Channel.SMS, s.phone());
        }
        if (all.size() < 2) {
            return List.of(all);
        }
        Optional<ContactRow> byEmail = existing(Map.of(Channel.EMAIL, s.email()));
        Optional<ContactRow> byPhone = existing(Map.of(Channel.SMS, s.phone()));
        boolean together = byEmail.isEmpty() && byPhone.isEmpty()
                || byEmail.isPresent() && byPhone.isPresent() && byEmail.get().id() == byPhone.get().id();
        if (together) {
            return List.of(all);
        }
        List<Map<Channel, String>> groups = new ArrayList<>();
        all.forEach((channel, address) -> groups.add(Map.of(channel, address)));
        return groups;
    }

    private Optional<ContactRow> existing(Map<Channel, String> group) {
        List<String> emails = group.containsKey(Channel.EMAIL) ? List.of(group.get(Channel.EMAIL)) : List.of();
        List<String> phones = group.containsKey(Channel.SMS) ? List.of(group.get(Channel.SMS)) : List.of();
        return contactRows.findByKeys(List.of(), emails, phones).stream().findFirst();
    }

    private static ContactInput input(Submission s, Map<Channel, String> group) {
        Map<String, Object> attributes = s.topics().isEmpty() ? null : Map.of("topics", String.join(",", s.topics()));
        return new ContactInput(null, s.firstName(), s.lastName(), group.get(Channel.EMAIL), group.get(Channel.SMS), s.locale(),
                null, s.postalCode(), null, attributes);
    }
}
