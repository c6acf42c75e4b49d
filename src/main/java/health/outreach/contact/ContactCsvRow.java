package health.outreach.contact;

import health.outreach.common.FieldError;
import org.apache.commons.csv.CSVRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** One CSV data row after validation: the contact, its consent cells, or what is wrong with it. */
record ContactCsvRow(long row,
                     NormalizedContact contact,
                     boolean localeGiven,
                     Long clinicId,
                     ConsentAction emailConsent,
                     ConsentAction smsConsent,
                     String consentSource,
                     String consentWording,
                     List<FieldError> errors) {

    static final class Parser {
        private final ContactCsvHeader header;
        private final ContactNormalizer normalizer;
        private final Function<String, AttributeType> types;
        private final Map<String, Long> clinicIds;

        Parser(ContactCsvHeader header, ContactNormalizer normalizer, Function<String, AttributeType> types,
               Map<String, Long> clinicIds) {
            this.header = header;
            this.normalizer = normalizer;
            this.types = types;
            this.clinicIds = clinicIds;
        }

        ContactCsvRow parse(CSVRecord record) {
            long row = record.getRecordNumber();
            if (record.size() != header.width()) {
                return rejected(row, FieldError.of(null, "the row has " + record.size() + " cells; the header has "
                        + header.width()));
            }
            ContactInput input = header.input(record);
            ContactNormalizer.Result result = normalizer.normalize(input, types);
            List<FieldError> errors = new ArrayList<>();
            for (FieldError e : result.errors()) {
                errors.add(FieldError.of(ContactCsvHeader.column(e.field()), e.message()));
            }
            Long clinicId = null;
            String clinic = result.contact().clinicCode();
            if (clinic != null) {
                clinicId = clinicIds.get(clinic);
                if (clinicId == null) {
                    errors.add(FieldError.of("clinic", "no clinic has the code '" + clinic + "'"));
                }
            }
            ConsentAction email = consent(header.cell(record, "consent_email"), "consent_email", errors);
            ConsentAction sms = consent(header.cell(record, "consent_sms"), "consent_sms", errors);
            String source = text(header.cell(record, "consent_source"), "consent_source", 100, errors);
            String wording = text(header.cell(record, "consent_wording"), "consent_wording", 4000, errors);
            boolean localeGiven = input.locale() != null && !input.locale().isBlank();
            return new ContactCsvRow(row, result.contact(), localeGiven, clinicId, email, sms,
                    source == null ? "csv import" : source, wording, errors);
        }

        private static ContactCsvRow rejected(long row, FieldError error) {
            return new ContactCsvRow(row, null, false, null, null, null, null, null, List.of(error));
        }

        private static ConsentAction consent(String cell, String column, List<FieldError> errors) {
            if (cell == null || cell.isBlank()) {
                return null;
            }
            return switch (cell.strip().toUpperCase(Locale.ROOT)) {
                case "OPTED_IN", "YES", "Y", "TRUE" -> ConsentAction.OPT_IN;
                case "OPTED_OUT", "NO", "N", "FALSE" -> ConsentAction.OPT_OUT;
                case "PENDING" -> ConsentAction.PENDING;
                default -> {
                    errors.add(FieldError.of(column, "'" + abbreviate(cell) + "' is not one of OPTED_IN, OPTED_OUT, PENDING, yes, no"));
                    yield null;
                }
            };
        }

        private static String text(String cell, String column, int max, List<FieldError> errors) {
            if (cell == null || cell.isBlank()) {
                return null;
            }
            if (cell.length() > max) {
                errors.add(FieldError.of(column, "must be at most " + max + " characters"));
                return null;
            }
            return cell.strip();
        }

        private static String abbreviate(String value) {
            String v = value.replaceAll("\\p{Cntrl}", "?");
            return v.length() > 40 ? v.substring(0, 37) + "..." : v;
        }
    }
}
