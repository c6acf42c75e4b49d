package health.outreach.contact;

import health.outreach.common.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactNormalizerTest {

    private final ContactNormalizer normalizer = new ContactNormalizer("US", "en-US");

    private ContactNormalizer.Result normalize(String email, String phone, String locale, String zone, Map<String, Object> attrs) {
        return normalizer.normalize(new ContactInput(null, "Ana", "Ruiz", email, phone, locale, zone, "78701", null, attrs),
                name -> null);
    }

    @Test
    void normalisesAValidContact() {
        ContactNormalizer.Result r = normalize(" Ana.Ruiz@Example.ORG ", "(512) 555-0142", "es_mx", "America/Chicago",
                Map.of("age_band", "45-64", "referral_date", "2026-03-01", "visits", "3"));
        assertTrue(r.ok(), r.errors().toString());
        NormalizedContact c = r.contact();
        assertEquals("ana.ruiz@example.org", c.email());
        assertEquals("+15125550142", c.phone());
        assertEquals("es-MX", c.locale());
        assertEquals("America/Chicago", c.timeZone());
        assertEquals(AttributeType.STRING, c.attributes().get("age_band").type());
        assertEquals(LocalDate.of(2026, 3, 1), c.attributes().get("referral_date").value());
        assertEquals(new BigDecimal("3"), c.attributes().get("visits").value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plainaddress", "a@b", "a@@example.org", "a b@example.org", ".a@example.org", "a..b@example.org",
            "a@example..org", "a@-example.org", "a@example.org.", "\"quoted\"@example.org", "a@exa_mple.org",
            "a@example.org\r\nBcc: x@evil.example", "<a@example.org>", "Ana <a@example.org>"})
    void rejectsInvalidEmails(String email) {
        ContactNormalizer.Result r = normalize(email, null, null, null, null);
        assertTrue(r.errors().stream().anyMatch(e -> e.field().equals("email")), email + " -> " + r.errors());
        assertNull(r.contact().email());
    }

    @ParameterizedTest
    @ValueSource(strings = {"555-0100", "+1 555 555 5555", "1-800-FLOWERS", "12", "+99 123", "phone"})
    void rejectsInvalidPhones(String phone) {
        ContactNormalizer.Result r = normalize("a@example.org", phone, null, null, null);
        assertTrue(r.errors().stream().anyMatch(e -> e.field().equals("phone")), phone + " -> " + r.errors());
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("Bad Name", "x");
        attrs.put("ok_name", List.of("not", "scalar"));
        ContactNormalizer.Result r = normalizer.normalize(new ContactInput("x".repeat(101), "Ana\nBcc", null, "nope", "12",
                "zz-INVALID-TAG-123456789", "Mars/Olympus", "!!", null, attrs), n -> null);
        List<String> fields = r.errors().stream().map(FieldError::field).toList();
        assertTrue(fields.containsAll(List.of("externalId", "firstName", "email", "phone", "locale", "timeZone",
                "postalCode", "attributes.ok_name")), fields.toString());
        assertTrue(fields.stream().anyMatch(f -> f.startsWith("attributes.Bad")), fields.toString());
    }

    @Test
    void needsAtLeastOneChannel() {
        ContactNormalizer.Result r = normalize(null, " ", null, null, null);
        assertEquals(List.of("email"), r.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void declaredAttributeTypesWinOverInference() {
        ContactNormalizer.Result r = normalizer.normalize(new ContactInput(null, null, null, "a@example.org", null, null,
                        null, null, null, Map.of("zip_like", "02139", "score", "high")),
                name -> name.equals("score") ? AttributeType.NUMBER : null);
        assertEquals(AttributeType.STRING, r.contact().attributes().get("zip_like").type(), "leading zero keeps it text");
        assertEquals("attributes.score", r.errors().get(0).field());
    }

    @Test
    void defaultsLocaleAndRejectsOffsetsAsZones() {
        ContactNormalizer.Result r = normalize("a@example.org", null, null, "+05:00", null);
        assertEquals("en-US", r.contact().locale());
        assertNotNull(r.errors().stream().filter(e -> e.field().equals("timeZone")).findFirst().orElse(null));
    }
}
