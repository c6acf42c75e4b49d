package health.outreach.booking;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.ErrorHandlerAdapter;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads an HL7 FHIR R4 Appointment with HAPI FHIR: its id (or first identifier) is the clinic's
 * booking id, its status maps onto ours, its start is the appointment time, and the patient is a
 * contained Patient whose identifier (system {@value #TOKEN_SYSTEM}) or telecom names the contact.
 * <p>
 * Nothing is filled in and nothing is skipped: an Appointment is refused, with every problem named,
 * when it is not an Appointment, lacks what R4 requires of one (status, at least one participant,
 * each participant's status), carries a code outside R4's value sets, a value of the wrong form, or
 * any element R4 does not define (HAPI's own parser would drop those in silence).
 */
@Singleton
class FhirAppointments {

    static final String TOKEN_SYSTEM = "urn:outreach:token";
    static final String MEDIA_TYPE = "application/fhir+json";

    /** One finding, as an OperationOutcome issue says it: an IssueType code, the text, a FHIRPath to the element. */
    record Issue(String code, String diagnostics, @Nullable String expression) {
    }

    /** A body refused as FHIR; the problem's errors name the same elements for clients that read problem+json. */
    static final class Invalid extends ProblemException {
        private final List<Issue> issues;

        Invalid(String type, List<Issue> issues) {
            super(HttpStatus.BAD_REQUEST, type, issues.size() == 1 ? issues.get(0).diagnostics()
                    : "The FHIR Appointment has " + issues.size() + " problems: "
                    + issues.stream().map(Issue::diagnostics).collect(Collectors.joining("; ")),
                    issues.stream().map(i -> FieldError.of(i.expression(), i.diagnostics())).toList());
            this.issues = List.copyOf(issues);
        }

        List<Issue> issues() {
            return issues;
        }
    }

    private final JsonMapper json;
    private volatile FhirContext context;

    FhirAppointments(JsonMapper json) {
        this.json = json;
    }

    /** @throws Invalid when the body is not a valid FHIR R4 Appointment */
    BookingIntake toIntake(String body, long clinicId, Instant received) {
        Appointment appointment = validated(body);
        String id = appointment.getIdElement().hasIdPart() ? appointment.getIdElement().getIdPart()
                : appointment.getIdentifier().stream().map(Identifier::getValue).findFirst().orElse(null);
        String token = null;
        String email = null;
        String phone = null;
        for (Resource contained : appointment.getContained()) {
            if (contained instanceof Patient patient) {
                for (Identifier identifier : patient.getIdentifier()) {
                    if (TOKEN_SYSTEM.equals(identifier.getSystem())) {
                        token = identifier.getValue();
                    }
                }
                for (ContactPoint telecom : patient.getTelecom()) {
                    if (telecom.getSystem() == ContactPoint.ContactPointSystem.EMAIL && email == null) {
                        email = telecom.getValue();
                    } else if ((telecom.getSystem() == ContactPoint.ContactPointSystem.PHONE
                            || telecom.getSystem() == ContactPoint.ContactPointSystem.SMS) && phone == null) {
                        phone = telecom.getValue();
                    }
                }
            }
        }
        Instant start = appointment.hasStart() ? appointment.getStart().toInstant() : null;
        return new BookingIntake(clinicId, "FHIR", id, status(appointment.getStatus()), start, null, null, token, email, phone, received);
    }

    /** An OperationOutcome (R4, JSON) of error issues: what FHIR clients read when a request is refused. */
    String outcome(List<Issue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        for (Issue i : issues) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.fromCode(i.code()))
                    .setDiagnostics(i.diagnostics());
            if (i.expression() != null) {
                issue.addExpression(i.expression());
            }
        }
        return fhir().newJsonParser().encodeResourceToString(outcome);
    }

    private Appointment validated(String body) {
        JsonNode root;
        try {
            root = json.readValue(body, Argument.of(JsonNode.class));
        } catch (IOException | RuntimeException e) {
            String reason = firstLine(e.getMessage()).replaceAll(" \\(start marker at .*| at \\[.*", "");
            throw new Invalid("malformed-fhir", List.of(new Issue("structure", "The body is not JSON: " + reason, null)));
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("malformed-fhir", List.of(new Issue("structure", "A FHIR resource is a JSON object", null)));
        }
        JsonNode type = root.get("resourceType");
        if (type == null || !type.isString() || !"Appointment".equals(type.getStringValue())) {
            String found = type == null ? "none" : type.isString() ? "'" + type.getStringValue() + "'" : "not a string";
            throw new Invalid("invalid-fhir", List.of(new Issue("invalid",
                    "resourceType must be 'Appointment' (found " + found + ")", "resourceType")));
        }
        List<Issue> issues = new ArrayList<>();
        elements(root, fhir().getResourceDefinition("Appointment"), "Appointment", true, issues);

        Appointment appointment;
        ValueProblems values = new ValueProblems();
        try {
            appointment = fhir().newJsonParser().setParserErrorHandler(values).parseResource(Appointment.class, body);
        } catch (DataFormatException | ClassCastException e) {
            issues.add(new Issue("structure", "Not a FHIR R4 Appointment: " + firstLine(e.getMessage()), null));
            throw new Invalid("malformed-fhir", issues);
        }
        // A wrong status code is named below with its exact place; the parser's word on it is dropped.
        List<String> statuses = new ArrayList<>();
        statuses.add(appointment.getStatusElement().getValueAsString());
        appointment.getParticipant().forEach(p -> statuses.add(p.getStatusElement().getValueAsString()));
        values.found.stream().filter(v -> !("status".equals(v.element()) && statuses.contains(v.value())))
                .forEach(v -> issues.add(v.issue()));

        if (!appointment.hasStatusElement() || appointment.getStatusElement().getValueAsString() == null) {
            issues.add(new Issue("required", "Appointment.status is required (proposed, pending, booked, arrived, fulfilled, "
                    + "cancelled, noshow, entered-in-error, checked-in or waitlist)", "Appointment.status"));
        } else if (appointment.getStatus() == null) {
            issues.add(new Issue("code-invalid", "'" + appointment.getStatusElement().getValueAsString() + "' is not an R4 "
                    + "appointment status (proposed, pending, booked, arrived, fulfilled, cancelled, noshow, entered-in-error, "
                    + "checked-in or waitlist)", "Appointment.status"));
        }
        if (appointment.getParticipant().isEmpty()) {
            issues.add(new Issue("required", "Appointment.participant is required: at least one participant", "Appointment.participant"));
        }
        for (int i = 0; i < appointment.getParticipant().size(); i++) {
            Appointment.AppointmentParticipantComponent p = appointment.getParticipant().get(i);
            String at = "Appointment.participant[" + i + "].status";
            if (!p.hasStatusElement() || p.getStatusElement().getValueAsString() == null) {
                issues.add(new Issue("required", at + " is required (accepted, declined, tentative or needs-action)", at));
            } else if (p.getStatus() == null) {
                issues.add(new Issue("code-invalid", "'" + p.getStatusElement().getValueAsString() + "' is not an R4 participation "
                        + "status (accepted, declined, tentative or needs-action)", at));
            }
        }
        boolean named = appointment.getIdElement().hasIdPart()
                || appointment.getIdentifier().stream().anyMatch(id -> id.getValue() != null && !id.getValue().isBlank());
        if (!named) {
            issues.add(new Issue("required", "The clinic's booking id is required: Appointment.id or an Appointment.identifier value",
                    "Appointment.id"));
        }
        if (!issues.isEmpty()) {
            throw new Invalid("invalid-fhir", issues);
        }
        return appointment;
    }

    /**
     * Every element of a JSON object is one its FHIR type defines, with an array exactly where the
     * element repeats; contained resources are checked against their own type. {@code _name} holds
     * the id and extensions of the primitive {@code name} (HAPI reads those itself).
     */
    private void elements(JsonNode object, BaseRuntimeElementCompositeDefinition<?> type, String path, boolean resource,
                          List<Issue> issues) {
        for (Map.Entry<String, JsonNode> e : object.entries()) {
            String name = e.getKey();
            if (resource && name.equals("resourceType")) {
                continue;
            }
            String element = name.startsWith("_") ? name.substring(1) : name;
            BaseRuntimeChildDefinition child = type.getChildByName(element);
            if (child == null) {
                issues.add(new Issue("structure", "Unknown element '" + name + "' in " + path
                        + ": FHIR R4 defines no such element there", path + "." + name));
                continue;
            }
            JsonNode value = e.getValue();
            boolean repeats = child.getMax() != 1;
            if (value.isArray() != repeats) {
                issues.add(new Issue("structure", path + "." + name + (repeats ? " repeats: it must be an array" : " must not be an array"),
                        path + "." + name));
                continue;
            }
            if (name.startsWith("_")) {
                continue;
            }
            List<JsonNode> items = new ArrayList<>();
            if (value.isArray()) {
                value.values().forEach(items::add);
            } else {
                items.add(value);
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                String at = path + "." + name + (repeats ? "[" + i + "]" : "");
                if (element.equals("contained")) {
                    contained(item, at, issues);
                    continue;
                }
                BaseRuntimeElementDefinition<?> itemType = child.getChildByName(element);
                if (itemType instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
                    if (!item.isObject()) {
                        issues.add(new Issue("structure", at + " must be a JSON object", at));
                    } else {
                        elements(item, composite, at, false, issues);
                    }
                }
            }
        }
    }

    private void contained(JsonNode item, String at, List<Issue> issues) {
        JsonNode type = item.isObject() ? item.get("resourceType") : null;
        if (type == null || !type.isString()) {
            issues.add(new Issue("structure", at + " must be a resource with a resourceType", at));
            return;
        }
        try {
            elements(item, fhir().getResourceDefinition(type.getStringValue()), at, true, issues);
        } catch (DataFormatException e) {
            issues.add(new Issue("structure", at + ": '" + type.getStringValue() + "' is not an R4 resource type", at + ".resourceType"));
        }
    }

    /** Values of the wrong form (a date that is not one, a word for a number); unknown elements are found before. */
    private static final class ValueProblems extends ErrorHandlerAdapter {
        record Found(@Nullable String element, @Nullable String value, Issue issue) {
        }

        final List<Found> found = new ArrayList<>();

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            String element = location == null ? null : location.getParentElementName();
            found.add(new Found(element, value, new Issue("value", "Invalid value '" + value + "'"
                    + (element == null ? "" : " in element '" + element + "'") + ": " + firstLine(error), null)));
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String element, BaseJsonLikeValue.ValueType expected,
                                      BaseJsonLikeValue.ScalarType expectedScalar, BaseJsonLikeValue.ValueType foundType,
                                      BaseJsonLikeValue.ScalarType foundScalar) {
            found.add(new Found(element, null, new Issue("structure", "Element '" + element + "' must be "
                    + describe(expected, expectedScalar) + ", not " + describe(foundType, foundScalar), null)));
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            found.add(new Found(null, null, new Issue("required", "A contained resource needs an id", "Appointment.contained")));
        }

        private static String describe(BaseJsonLikeValue.ValueType type, BaseJsonLikeValue.ScalarType scalar) {
            return (scalar == null ? String.valueOf(type) : String.valueOf(scalar)).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** R4's appointment status as ours: the person present (arrived, checked in, seen) is ATTENDED. */
    static String status(Appointment.AppointmentStatus status) {
        return switch (status) {
            case PROPOSED, PENDING, WAITLIST -> BookingStatus.REQUESTED.name();
            case ARRIVED, FULFILLED, CHECKEDIN -> BookingStatus.ATTENDED.name();
            case NOSHOW -> BookingStatus.NO_SHOW.name();
            case CANCELLED, ENTEREDINERROR -> BookingStatus.CANCELLED.name();
            default -> BookingStatus.BOOKED.name();
        };
    }

    /** FhirContext is costly to build (seconds): made on first use, then shared (it is thread-safe). */
    private FhirContext fhir() {
        FhirContext c = context;
        if (c == null) {
            synchronized (this) {
                c = context;
                if (c == null) {
                    c = FhirContext.forR4();
                    context = c;
                }
            }
        }
        return c;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.split("\\R", 2)[0];
    }
}
