package health.outreach.booking;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.imports.CsvUpload;
import health.outreach.imports.ImportIntake;
import health.outreach.imports.ImportJobs;
import health.outreach.imports.ImportProgress;
import health.outreach.imports.ImportSettings;
import health.outreach.program.Clinic;
import health.outreach.program.ClinicRepository;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Bookings from a clinic's CSV export: {@code clinic,booking_id,status,booked_at,appointment_at,email,phone,token}.
 * {@code booked_at} (when the person booked) decides attribution; without it the import time stands in,
 * which credits the messages sent before the import, so clinics should send it.
 * The header is checked before anything is written; each row is its own transaction, so one bad row
 * is reported and the others are kept.
 */
@Singleton
class BookingImporter implements ImportIntake.Importer<Map<String, Integer>> {

    private static final Logger LOG = LoggerFactory.getLogger(BookingImporter.class);
    static final Set<String> COLUMNS = Set.of("clinic", "booking_id", "status", "booked_at", "appointment_at", "email", "phone", "token");

    private final BookingService bookings;
    private final ClinicRepository clinics;
    private final ImportJobs jobs;
    private final ImportSettings settings;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "booking-import");
        t.setDaemon(true);
        return t;
    });

    BookingImporter(BookingService bookings, ClinicRepository clinics, ImportJobs jobs, ImportSettings settings,
                    TransactionOperations<Connection> transactions, Clock clock) {
        this.bookings = bookings;
        this.clinics = clinics;
        this.jobs = jobs;
        this.settings = settings;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Checks the whole file's structure; answers the header's column positions. */
    @Override
    public Map<String, Integer> check(CsvUpload upload) {
        Map<String, Integer> header = new HashMap<>();
        upload.read(record -> {
            if (record.getRecordNumber() != 1) {
                return;
            }
            for (int i = 0; i < record.size(); i++) {
                String name = record.get(i).strip().toLowerCase(Locale.ROOT);
                if (!COLUMNS.contains(name) || header.putIfAbsent(name, i) != null) {
                    throw ProblemException.badRequest("malformed-csv", "Unknown or repeated column '" + name + "'; expected "
                            + String.join(", ", COLUMNS.stream().sorted().toList()), List.of(FieldError.atRow(1, name, "unknown or repeated column")));
                }
            }
        });
        if (!header.containsKey("clinic") || !header.containsKey("booking_id")) {
            throw ProblemException.badRequest("malformed-csv", "The header needs clinic and booking_id columns",
                    List.of(FieldError.atRow(1, null, "clinic and booking_id are required")));
        }
        return header;
    }

    @Override
    public long start(CsvUpload upload, Map<String, Integer> header, String actor) {
        long jobId = jobs.create("BOOKINGS", actor);
        executor.submit(() -> {
            try (upload) {
                run(upload, header, jobId);
            } catch (RuntimeException e) {
                LOG.error("Booking import {} failed", jobId, e);
            }
        });
        return jobId;
    }

    private void run(CsvUpload upload, Map<String, Integer> header, long jobId) {
        ImportProgress progress = new ImportProgress(settings.maxReportedErrors());
        Map<String, Long> clinicIds = new HashMap<>();
        for (Clinic c : clinics.findAll()) {
            clinicIds.put(c.code(), c.id());
        }
        try {
            upload.read(record -> {
                if (record.getRecordNumber() == 1) {
                    return;
                }
                progress.read();
                try {
                    BookingIntake intake = intake(record, header, clinicIds);
                    // Each row and the totals that count it commit together: a crash leaves an exact report.
                    BookingService.Recorded r = transactions.executeWrite(status -> {
                        BookingService.Recorded recorded = bookings.record(intake);
                        ImportProgress.Mark m = progress.mark();
                        jobs.progress(jobId, m, progress.imported() + (recorded.created() ? 1 : 0),
                                progress.updated() + (recorded.created() ? 0 : 1), progress);
                        return recorded;
                    });
                    if (r.created()) {
                        progress.addImported(1);
                    } else {
                        progress.addUpdated(1);
                    }
                } catch (ProblemException e) {
                    progress.reject(record.getRecordNumber(), e.errors().isEmpty()
                            ? List.of(FieldError.of(null, e.getMessage())) : e.errors());
                }
            });
            jobs.finish(jobId, progress, null);
        } catch (RuntimeException e) {
            jobs.finish(jobId, progress, e.getMessage());
        }
    }

    private BookingIntake intake(CSVRecord r, Map<String, Integer> header, Map<String, Long> clinicIds) {
        String clinic = cell(r, header, "clinic");
        Long clinicId = clinic == null ? null : clinicIds.get(clinic.toLowerCase(Locale.ROOT));
        if (clinicId == null) {
            throw ProblemException.invalid("clinic", "no clinic has the code '" + clinic + "'");
        }
        String id = cell(r, header, "booking_id");
        if (id == null || id.length() > 200) {
            throw ProblemException.invalid("booking_id", "required, at most 200 characters");
        }
        String status = cell(r, header, "status") == null ? "BOOKED" : BookingStatus.parse(cell(r, header, "status"), "status").name();
        Instant now = clock.instant();
        Instant bookedAt = instant(r, header, "booked_at");
        if (bookedAt != null && bookedAt.isAfter(now)) {
            throw ProblemException.invalid("booked_at", "cannot be in the future");
        }
        return new BookingIntake(clinicId, "CSV", id, status, instant(r, header, "appointment_at"), null, null, cell(r, header, "token"),
                cell(r, header, "email"), cell(r, header, "phone"), bookedAt == null ? now : bookedAt);
    }

    private static Instant instant(CSVRecord r, Map<String, Integer> header, String name) {
        String value = cell(r, header, name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an ISO-8601 instant like 2026-12-01T15:00:00Z");
        }
    }

    private static String cell(CSVRecord r, Map<String, Integer> header, String name) {
        Integer i = header.get(name);
        if (i == null || i >= r.size()) {
            return null;
        }
        String v = r.get(i).strip();
        return v.isEmpty() ? null : v;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
