package health.outreach.booking;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import health.outreach.common.ProblemException;
import jakarta.inject.Singleton;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.List;

/**
 * Reads an HL7 FHIR R4 Appointment with HAPI FHIR: its id (or first identifier) is the clinic's
 * booking id, its status maps onto ours, its start is the appointment time, and the patient is a
 * contained Patient whose identifier (system {@value #TOKEN_SYSTEM}) or telecom names the contact.
 */
@Singleton
class FhirAppointments {

    static final String TOKEN_SYSTEM = "urn:outreach:token";

    private volatile FhirContext context;

    BookingIntake toIntake(String json, long clinicId, Instant received) {
        Appointment appointment;
        try {
            appointment = fhir().newJsonParser().parseResource(Appointment.class, json);
        } catch (DataFormatException | ClassCastException e) {
            throw ProblemException.badRequest("malformed-fhir", "Not a FHIR R4 Appointment: " + firstLine(e.getMessage()), List.of());
        }
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

    private static String status(Appointment.AppointmentStatus status) {
        if (status == null) {
            return "BOOKED";
        }
        return switch (status) {
            case PROPOSED, PENDING, WAITLIST -> "REQUESTED";
            case ARRIVED, FULFILLED, CHECKEDIN -> "ATTENDED";
            case CANCELLED, NOSHOW, ENTEREDINERROR -> "CANCELLED";
            default -> "BOOKED";
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
