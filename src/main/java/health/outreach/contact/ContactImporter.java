package health.outreach.contact;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Imports contacts from CSV in two passes over a spooled file. The first pass proves the file is
 * well formed (UTF-8, a usable header, balanced quotes) and infers the types of new attributes;
 * a malformed file is refused before anything is written. The second pass validates each row and
 * upserts valid ones in batches, one transaction per batch, reporting every rejected row.
 */
@Singleton
public class ContactImporter implements ImportIntake.Importer<ContactImporter.Plan> {

    private static final Logger LOG = LoggerFactory.getLogger(ContactImporter.class);

    /** What the first pass learned about a file. */
    public record Plan(ContactCsvHeader header, Map<String, AttributeType> newAttributes, long rows) {
    }

    private final ContactService contacts;
    private final AttributeDefinitions attributeDefinitions;
    private final ClinicRepository clinics;
    private final ImportJobs jobs;
    private final ImportSettings settings;
    private final ContactBatchWriter writer;
    private final TransactionOperations<Connection> transactions;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "contact-import");
        t.setDaemon(true);
        return t;
    });

    public ContactImporter(ContactService contacts, AttributeDefinitions attributeDefinitions, ClinicRepository clinics,
                           ImportJobs jobs, ImportSettings settings, ContactBatchWriter writer,
                           TransactionOperations<Connection> transactions) {
        this.contacts = contacts;
        this.attributeDefinitions = attributeDefinitions;
        this.clinics = clinics;
        this.jobs = jobs;
        this.settings = settings;
        this.writer = writer;
        this.transactions = transactions;
    }

    /** First pass: throws a 400 problem for a malformed file. */
    @Override
    public Plan check(CsvUpload upload) {
        ContactCsvHeader[] header = new ContactCsvHeader[1];
        Map<String, AttributeType> inferred = new LinkedHashMap<>();
        long[] rows = {0};
        upload.read(record -> {
            if (header[0] == null) {
                header[0] = ContactCsvHeader.parse(record);
                for (String name : header[0].attributeNames()) {
                    if (attributeDefinitions.typeOf(name) == null) {
                        inferred.put(name, null);
                    }
                }
                return;
            }
            rows[0]++;
            for (Map.Entry<String, AttributeType> e : inferred.entrySet()) {
                String value = header[0].attribute(record, e.getKey());
                if (value != null && !value.isBlank()) {
                    AttributeType type = AttributeType.infer(value.strip());
                    // Mixed values widen to text: "12" and "n/a" in one column is a text attribute.
                    e.setValue(e.getValue() == null || e.getValue() == type ? type : AttributeType.STRING);
                }
            }
        });
        if (header[0] == null) {
            throw ProblemException.badRequest("malformed-csv", "The file is empty; its first row must be the header",
                    List.of(FieldError.atRow(1, null, "no header row")));
        }
        inferred.replaceAll((k, v) -> v == null ? AttributeType.STRING : v);
        return new Plan(header[0], inferred, rows[0]);
    }

    /** Second pass in the background; answers the import job id to poll. Takes ownership of the upload. */
    @Override
    public long start(CsvUpload upload, Plan plan, String actor) {
        long jobId = jobs.create("CONTACTS", actor, plan.rows());
        executor.submit(() -> {
            try (upload) {
                run(upload, plan, jobId, actor);
            } catch (RuntimeException e) {
                LOG.error("Contact import {} failed", jobId, e);
            }
        });
        return jobId;
    }

    /** Second pass in the caller's thread (seeds, tests); answers the job id. */
    public long runNow(CsvUpload upload, Plan plan, String actor) {
        long jobId = jobs.create("CONTACTS", actor, plan.rows());
        run(upload, plan, jobId, actor);
        return jobId;
    }

    private void run(CsvUpload upload, Plan plan, long jobId, String actor) {
        ImportProgress progress = new ImportProgress(settings.maxReportedErrors());
        try {
            plan.newAttributes().forEach(attributeDefinitions::define);
            Map<String, Long> clinicIds = new HashMap<>();
            for (Clinic clinic : clinics.findAll()) {
                clinicIds.put(clinic.code(), clinic.id());
            }
            ContactCsvRow.Parser parser = new ContactCsvRow.Parser(plan.header(), contacts.normalizer(),
                    attributeDefinitions::typeOf, clinicIds);
            pipeline(upload, parser, progress, jobId, actor);
            jobs.finish(jobId, progress, null);
        } catch (ProblemException e) {
            jobs.finish(jobId, progress, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Contact import {} stopped", jobId, e);
            jobs.finish(jobId, progress, "The import stopped after " + progress.rowsRead()
                    + " rows: " + e.getMessage() + ". Rows before that point were saved; upload the file again to finish.");
        }
    }

    /**
     * Validation and writing overlap: a reader thread parses and validates rows into batches, this
     * thread writes them, one transaction each. The queue holds at most two batches, so memory stays
     * flat whatever the file size; a failure on either side stops both.
     */
    private void pipeline(CsvUpload upload, ContactCsvRow.Parser parser, ImportProgress progress, long jobId,
                          String actor) {
        java.util.concurrent.BlockingQueue<Batch> queue = new java.util.concurrent.ArrayBlockingQueue<>(2);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> readFailure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                List<ContactCsvRow>[] batch = new List[]{new ArrayList<>(settings.batchSize())};
                boolean[] headerSeen = {false};
                upload.read(record -> {
                    if (stop.get()) {
                        throw new java.util.concurrent.CancellationException("writer stopped");
                    }
                    if (!headerSeen[0]) {
                        headerSeen[0] = true;
                        return;
                    }
                    ContactCsvRow row = parser.parse(record);
                    progress.read();
                    if (!row.errors().isEmpty()) {
                        progress.reject(record.getRecordNumber(), row.errors());
                        return;
                    }
                    batch[0].add(row);
                    if (batch[0].size() >= settings.batchSize()) {
                        put(queue, new Batch(batch[0], progress.mark(), false));
                        batch[0] = new ArrayList<>(settings.batchSize());
                    }
                });
                put(queue, new Batch(batch[0], progress.mark(), true));
            } catch (java.util.concurrent.CancellationException e) {
                return;
            } catch (RuntimeException e) {
                readFailure.set(e);
                put(queue, new Batch(List.of(), progress.mark(), true));
            }
        }, "contact-import-reader-" + jobId);
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                Batch batch = poll(queue);
                if (batch == null) {
                    jobs.heartbeat(jobId); // the reader is busy (a long run of rejected rows): still alive
                    continue;
                }
                // The batch, and the totals that count it, commit together.
                ContactBatchWriter.Outcome outcome = transactions.executeWrite(status -> {
                    ContactBatchWriter.Outcome o = batch.rows().isEmpty() ? ContactBatchWriter.Outcome.NONE
                            : writer.write(batch.rows(), jobId, actor);
                    ImportProgress.Mark m = batch.mark();
                    jobs.progress(jobId, new ImportProgress.Mark(m.rowsRead(), m.rejected() + progress.rejectedAtWrite()
                                    + o.rejections().size(), m.errors(), m.errorsTruncated()),
                            progress.imported() + o.imported(), progress.updated() + o.updated(), progress);
                    return o;
                });
                outcome.apply(progress);
                if (batch.last()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            stop.set(true);
            queue.clear();
            throw e;
        }
        if (readFailure.get() != null) {
            throw readFailure.get();
        }
    }

    /** Rows to write, how far reading had got when they were sealed, and whether reading is over. */
    private record Batch(List<ContactCsvRow> rows, ImportProgress.Mark mark, boolean last) {
    }

    private static Batch poll(java.util.concurrent.BlockingQueue<Batch> queue) {
        try {
            return queue.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
    }

    private static void put(java.util.concurrent.BlockingQueue<Batch> queue, Batch batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
