package health.outreach.segment;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.contact.AttributeType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentQueryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, AttributeType> ATTRIBUTES = Map.of("age_band", AttributeType.STRING,
            "visits", AttributeType.NUMBER, "referral_date", AttributeType.DATE);

    private static SqlPredicate compile(SegmentRule rule) {
        return SegmentQuery.compile(rule, ATTRIBUTES::get, CLOCK);
    }

    private static SegmentRule cond(String field, String op, Object value) {
        return new SegmentRule(null, null, field, op, value);
    }

    private static SegmentRule all(SegmentRule... conditions) {
        return new SegmentRule("ALL", List.of(conditions), null, null, null);
    }

    @Test
    void compilesFieldsAttributesAndGroupsWithEveryValueBound() {
        SqlPredicate p = compile(all(
                cond("language", "eq", "es"),
                cond("consent.sms", "eq", "OPTED_IN"),
                new SegmentRule("ANY", List.of(cond("postalCode", "startsWith", "787"), cond("attr.visits", "gte", 3)), null, null, null),
                cond("attr.referral_date", "withinDays", 30)));
        assertEquals("((LOWER(c.locale) = ? OR LOWER(c.locale) LIKE ?) AND c.sms_consent IN (?) AND "
                + "(LOWER(c.postal_code) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM contact_attribute a WHERE a.contact_id = c.id AND a.name = ? AND a.number_value >= ?)) AND "
                + "EXISTS (SELECT 1 FROM contact_attribute a WHERE a.contact_id = c.id AND a.name = ? AND a.date_value >= ?))", p.sql());
        assertEquals(List.of("es", "es-%", "OPTED_IN", "787%", "visits", new java.math.BigDecimal("3"), "referral_date",
                LocalDate.of(2026, 10, 26)), p.params());
    }

    @Test
    void valuesNeverReachTheSql() {
        String evil = "es'); DROP TABLE contact; --";
        SqlPredicate p = compile(cond("firstName", "eq", evil));
        assertFalse(p.sql().contains("DROP"));
        assertEquals(List.of(evil.toLowerCase()), p.params());
        SqlPredicate like = compile(cond("lastName", "contains", "100%_\\"));
        assertEquals(List.of("%100\\%\\_\\\\%"), like.params(), "LIKE wildcards in a value are literal");
    }

    @Test
    void unknownFieldsOperatorsAndBadValuesAreReportedWithTheirPath() {
        ProblemException e = assertThrows(ProblemException.class, () -> compile(all(
                cond("c.id; DROP TABLE contact", "eq", "x"),
                cond("firstName", "eq) OR 1=1 --", "x"),
                cond("attr.visits", "gt", "many"),
                cond("attr.unknown", "eq", "x"),
                cond("consent.email", "eq", "MAYBE"),
                cond("createdAt", "withinDays", -3),
                new SegmentRule("SOME", List.of(), null, null, null))));
        List<String> paths = e.errors().stream().map(FieldError::field).toList();
        assertEquals(List.of("rule.conditions[0].field", "rule.conditions[1].op", "rule.conditions[2].value",
                "rule.conditions[3].field", "rule.conditions[4].value", "rule.conditions[5].value",
                "rule.conditions[6].match", "rule.conditions[6].conditions"), paths);
    }

    @Test
    void negationsKeepContactsWithoutTheValue() {
        SqlPredicate p = compile(cond("postalCode", "ne", "78701"));
        assertEquals("(c.postal_code IS NULL OR LOWER(c.postal_code) <> ?)", p.sql());
        SqlPredicate attr = compile(cond("attr.age_band", "notIn", List.of("65+")));
        assertTrue(attr.sql().startsWith("NOT EXISTS"), attr.sql());
    }

    @Test
    void deepOrHugeRulesAreRefused() {
        SegmentRule deep = cond("firstName", "isSet", null);
        for (int i = 0; i < 6; i++) {
            deep = all(deep);
        }
        SegmentRule tooDeep = deep;
        assertThrows(ProblemException.class, () -> compile(tooDeep));
        SegmentRule[] many = new SegmentRule[101];
        java.util.Arrays.fill(many, cond("firstName", "isSet", null));
        assertThrows(ProblemException.class, () -> compile(all(many)));
    }
}
