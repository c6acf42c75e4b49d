package health.outreach.template;

import health.outreach.program.Clinic;
import health.outreach.program.Program;
import io.micronaut.core.annotation.Nullable;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a template sees: {@code contact}, {@code program}, {@code clinic}, {@code campaign},
 * {@code locale} and the personal links. Only plain strings in plain maps (the sandbox's
 * object wrapper accepts nothing else); a missing value is an empty string so that
 * {@code ?has_content} works; attributes appear only when the template's metadata names them.
 */
public final class MessageModel {

    /** The contact fields a message may use. */
    public record ContactFields(@Nullable String firstName, @Nullable String lastName, String locale,
                                @Nullable String postalCode, Map<String, Object> attributes) {
    }

    /**
     * The links every message carries, already opaque. {@code confirmUrl} confirms a pending sign-up;
     * on any other message it leads to the neutral page.
     */
    public record PersonalLinks(String unsubscribeUrl, String preferencesUrl, String bookingUrl, String confirmUrl) {
    }

    private MessageModel() {
    }

    public static Map<String, Object> of(ContactFields contact, Program program, @Nullable Clinic clinic,
                                         String campaignName, String locale, PersonalLinks links,
                                         Collection<String> allowedAttributes) {
        Map<String, Object> model = new HashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String name : allowedAttributes) {
            Object value = contact.attributes().get(name);
            attributes.put(name, value == null ? "" : value.toString());
        }
        Map<String, Object> c = new HashMap<>();
        c.put("firstName", text(contact.firstName()));
        c.put("lastName", text(contact.lastName()));
        c.put("locale", text(contact.locale()));
        c.put("postalCode", text(contact.postalCode()));
        c.put("attributes", attributes);
        model.put("contact", c);
        model.put("program", Map.of("name", text(program.name()), "postalAddress", text(program.postalAddress()),
                "supportPhone", text(program.supportPhone()), "supportEmail", text(program.supportEmail()),
                "website", text(program.website())));
        model.put("clinic", clinic == null
                ? Map.of("name", "", "phone", "", "address", "")
                : Map.of("name", text(clinic.name()), "phone", text(clinic.phone()), "address", text(clinic.address())));
        model.put("campaign", Map.of("name", text(campaignName)));
        model.put("locale", locale);
        model.put("unsubscribe_url", links.unsubscribeUrl());
        model.put("preferences_url", links.preferencesUrl());
        model.put("booking_url", links.bookingUrl());
        model.put("confirm_url", links.confirmUrl());
        return model;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
