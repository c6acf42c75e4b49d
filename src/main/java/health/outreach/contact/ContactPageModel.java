package health.outreach.contact;

import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.web.AdminPages;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One contact's page, shared by the controllers that show it again with an error: a refused consent
 * change keeps what was typed in its form, a refused erasure says why.
 */
@Singleton
class ContactPageModel {

    static final List<String> CONSENT_FIELDS = List.of("channel", "action", "source", "wording", "evidence");
    private static final int RECENT = 20;

    private final ConsentLedger ledger;
    private final ContactActivity activity;
    private final AdminPages pages;

    ContactPageModel(ConsentLedger ledger, ContactActivity activity, AdminPages pages) {
        this.ledger = ledger;
        this.activity = activity;
        this.pages = pages;
    }

    static Map<String, String> blankConsent() {
        Map<String, String> v = new LinkedHashMap<>();
        CONSENT_FIELDS.forEach(f -> v.put(f, ""));
        v.put("channel", Channel.EMAIL.name());
        v.put("action", ConsentAction.OPT_IN.name());
        v.put("source", "staff entry");
        return v;
    }

    HttpResponse<?> detail(HttpRequest<?> request, HttpStatus status, ContactView c, Map<String, String> consent,
                           List<FieldError> consentErrors) {
        return detail(request, status, c, consent, consentErrors, List.of());
    }

    HttpResponse<?> detail(HttpRequest<?> request, HttpStatus status, ContactView c, Map<String, String> consent,
                           List<FieldError> consentErrors, List<FieldError> eraseErrors) {
        Map<String, Object> m = new HashMap<>();
        m.put("c", c);
        m.put("attributeLines", new TreeSet<>(c.attributes().keySet()).stream()
                .map(name -> List.of(name, String.valueOf(c.attributes().get(name)))).toList());
        m.put("consentNow", List.of(List.of("Email", c.consent().get(Channel.EMAIL).name()),
                List.of("SMS", c.consent().get(Channel.SMS).name())));
        // The ledger is shown newest first: what decides today's state is at the top.
        List<ConsentEntry> history = new ArrayList<>(ledger.history(c.id()));
        Collections.reverse(history);
        m.put("ledger", history);
        m.put("messages", activity.messages(c.id(), RECENT));
        m.put("bookings", activity.bookings(c.id(), RECENT));
        m.put("cv", consent);
        m.put("consentErrors", consentErrors);
        m.put("eraseErrors", eraseErrors);
        m.put("channels", List.of(Channel.EMAIL.name(), Channel.SMS.name()));
        m.put("consentActions", List.of(ConsentAction.values()).stream().map(Enum::name).toList());
        return pages.page(request, status, "contacts/detail", m);
    }
}
